//! The poller: mio's `Poll`, the mapping between tokens and what they stand
//! for, and interest changes. Knows nothing of RESP or commands.
//!
//! mio is edge-triggered where Redis's ae is level-triggered: after a
//! readable event the server must read until `WouldBlock` (or queue the
//! client to continue later), otherwise the rest of the data never raises a
//! new event. WRITABLE interest is only registered while a reply could not be
//! written completely, so an idle connection costs no wake-ups.

use std::io;
use std::time::Duration;

use mio::event::Source;
use mio::{Events, Interest, Poll, Token};

/// What an event's token designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Listener number `n` (index in the server's listener list).
    Listener(usize),
    /// A connection: the key of its slab slot.
    Client(usize),
    /// The link to our master while it is being set up (connect, handshake,
    /// RDB transfer); afterwards it is an ordinary client of kind Master.
    MasterLink,
    /// Read end of the pipe a diskless-sync fork child streams its RDB
    /// into (relayed to the replicas' sockets by `repl/diskless.rs`).
    ChildPipe,
}

/// Listener tokens count down from the top of the token space so they can
/// never collide with slab keys, which count up from 0.
const LISTENER_BASE: usize = usize::MAX - 1024;
/// The master link's token, just below the listeners'.
const MASTER_LINK: usize = LISTENER_BASE - 1;
/// The diskless-sync child's pipe, just below the master link's.
const CHILD_PIPE: usize = LISTENER_BASE - 2;

pub fn token_for(target: Target) -> Token {
    match target {
        Target::Listener(n) => Token(LISTENER_BASE + n),
        Target::Client(slot) => Token(slot),
        Target::MasterLink => Token(MASTER_LINK),
        Target::ChildPipe => Token(CHILD_PIPE),
    }
}

pub fn target_of(token: Token) -> Target {
    if token.0 >= LISTENER_BASE {
        Target::Listener(token.0 - LISTENER_BASE)
    } else if token.0 == MASTER_LINK {
        Target::MasterLink
    } else if token.0 == CHILD_PIPE {
        Target::ChildPipe
    } else {
        Target::Client(token.0)
    }
}

/// One readiness notification, copied out of mio's buffer so the server can
/// be borrowed mutably while handling it.
#[derive(Debug, Clone, Copy)]
pub struct Ready {
    pub target: Target,
    pub readable: bool,
    pub writable: bool,
}

pub struct Reactor {
    poll: Poll,
    events: Events,
}

impl Reactor {
    pub fn new() -> io::Result<Reactor> {
        Ok(Reactor {
            poll: Poll::new()?,
            events: Events::with_capacity(1024),
        })
    }

    /// Start watching `source` for reads (and writes when `writable`).
    pub fn register(
        &self,
        source: &mut impl Source,
        target: Target,
        writable: bool,
    ) -> io::Result<()> {
        self.poll
            .registry()
            .register(source, token_for(target), interest(writable))
    }

    /// Change whether `source` is also watched for writability.
    pub fn set_writable(
        &self,
        source: &mut impl Source,
        target: Target,
        writable: bool,
    ) -> io::Result<()> {
        self.poll
            .registry()
            .reregister(source, token_for(target), interest(writable))
    }

    pub fn deregister(&self, source: &mut impl Source) {
        let _ = self.poll.registry().deregister(source);
    }

    /// Wait for events (at most `timeout`) and copy them into `out`.
    /// A signal interrupting the wait is not an error: the caller's loop
    /// checks its flags and polls again.
    pub fn poll(&mut self, timeout: Option<Duration>, out: &mut Vec<Ready>) -> io::Result<()> {
        out.clear();
        match self.poll.poll(&mut self.events, timeout) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(e),
        }
        for ev in self.events.iter() {
            out.push(Ready {
                target: target_of(ev.token()),
                // Errors and hang-ups surface as readable so that the read
                // path sees EOF/error and closes the connection.
                readable: ev.is_readable() || ev.is_read_closed() || ev.is_error(),
                writable: ev.is_writable() || ev.is_write_closed(),
            });
        }
        Ok(())
    }
}

fn interest(writable: bool) -> Interest {
    if writable {
        Interest::READABLE | Interest::WRITABLE
    } else {
        Interest::READABLE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for t in [
            Target::Listener(0),
            Target::Listener(3),
            Target::Client(0),
            Target::Client(99),
            Target::MasterLink,
            Target::ChildPipe,
        ] {
            assert_eq!(target_of(token_for(t)), t);
        }
    }
}
