//! RESP, the Redis serialization protocol: the request parser, the reply
//! encoders and every error string the server sends.
//!
//! Everything here is pure — no sockets, no server state — so it can be unit
//! tested and fuzzed byte by byte.

pub mod errors;
pub mod parse;
pub mod reply;
