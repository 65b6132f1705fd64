//! ferrodis: a Redis-compatible server.
//!
//! The crate is a library so that unit tests and the binary (`src/main.rs`)
//! share one build; the binary only parses the command line and calls
//! [`server::run`].

pub mod alloc;
pub mod aof_server;
pub mod blocking;
pub mod client;
pub mod cmd;
pub mod config;
pub mod db;
pub mod digest;
pub mod histogram;
pub mod info;
pub mod latency;
pub mod logging;
pub mod multi;
pub mod net;
pub mod persist;
pub mod persistence;
pub mod propagate;
pub mod pubsub;
pub mod reactor;
pub mod repl;
pub mod resp;
pub mod server;
pub mod tracking;
pub mod util;
