//! The poller: mio's `Poll`, the mapping between tokens and what they stand
//! for, and interest changes. Knows nothing of RESP or commands.
//!
//! mio is edge-triggered where Redis's ae is level-triggered: after a
//! readable event the server must read until `WouldBlock` (or queue the
//! client to continue later), otherwise the rest of the data never raises a
//! new event. WRITABLE interest is only registered while a reply could not be
//! written completely, so an idle connection costs no wake-ups.
//!
//! Under dense request/response traffic the poller busy-polls for a few
//! microseconds before it sleeps (see `SpinPolicy`): going to sleep in
//! epoll_wait and being woken again costs the *client* a wake-up per request
//! on a loaded box, which is what made LRANGE without pipelining slower than
//! Redis here.

use std::io;
use std::time::{Duration, Instant};

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
    spin: SpinPolicy,
}

/// How long the poller keeps checking for events without sleeping, once the
/// previous wait showed that the next request tends to arrive this soon.
const SPIN_WINDOW: Duration = Duration::from_micros(50);
/// A `sched_yield` that takes this long means another thread wanted our
/// core: spinning then steals its time instead of saving a wake-up.
const SLOW_YIELD: Duration = Duration::from_micros(5);
/// Slow yields in a row that switch spinning off for `SPIN_PAUSE`.
const SLOW_YIELDS_TO_PAUSE: u8 = 3;
const SPIN_PAUSE: Duration = Duration::from_millis(100);

/// Decides whether to busy-poll before a blocking wait. It spins only right
/// after a wait that ended within `SPIN_WINDOW` with events (so an idle
/// server, whose waits end by timeout, never spins), and pauses spinning
/// when yielding shows the core is contended.
#[derive(Debug, Default)]
struct SpinPolicy {
    /// The last wait ended with events within `SPIN_WINDOW`.
    armed: bool,
    slow_yields: u8,
    paused_until: Option<Instant>,
}

impl SpinPolicy {
    fn should_spin(&self, now: Instant, timeout: Option<Duration>) -> bool {
        self.armed
            && timeout.is_none_or(|t| t > SPIN_WINDOW)
            && self.paused_until.is_none_or(|until| now >= until)
    }

    /// Record how a wait (spin included) ended.
    fn after_wait(&mut self, waited: Duration, got_events: bool) {
        self.armed = got_events && waited <= SPIN_WINDOW;
    }

    /// Record one `sched_yield`; false when spinning must stop (paused).
    fn after_yield(&mut self, took: Duration, now: Instant) -> bool {
        if took < SLOW_YIELD {
            self.slow_yields = 0;
            return true;
        }
        self.slow_yields += 1;
        if self.slow_yields < SLOW_YIELDS_TO_PAUSE {
            return true;
        }
        self.slow_yields = 0;
        self.paused_until = Some(now + SPIN_PAUSE);
        false
    }
}

impl Reactor {
    pub fn new() -> io::Result<Reactor> {
        Ok(Reactor {
            poll: Poll::new()?,
            events: Events::with_capacity(1024),
            spin: SpinPolicy::default(),
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
        let start = Instant::now();
        if !self.spin_for_events(start, timeout)? {
            let left = timeout.map(|t| t.saturating_sub(start.elapsed()));
            match self.poll.poll(&mut self.events, left) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        if timeout != Some(Duration::ZERO) {
            let got_events = !self.events.is_empty();
            self.spin.after_wait(start.elapsed(), got_events);
        }
        self.copy_events(out);
        Ok(())
    }

    /// Busy-poll (non-blocking waits with a yield in between) for up to
    /// `SPIN_WINDOW` when the policy allows it. True when events arrived.
    fn spin_for_events(&mut self, start: Instant, timeout: Option<Duration>) -> io::Result<bool> {
        if !self.spin.should_spin(start, timeout) {
            return Ok(false);
        }
        loop {
            match self.poll.poll(&mut self.events, Some(Duration::ZERO)) {
                Ok(()) if !self.events.is_empty() => return Ok(true),
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            let before = Instant::now();
            if before - start >= SPIN_WINDOW {
                return Ok(false);
            }
            // SAFETY: sched_yield has no preconditions.
            unsafe { libc::sched_yield() };
            let now = Instant::now();
            if !self.spin.after_yield(now - before, now) {
                return Ok(false);
            }
        }
    }

    fn copy_events(&self, out: &mut Vec<Ready>) {
        for ev in self.events.iter() {
            out.push(Ready {
                target: target_of(ev.token()),
                // Errors and hang-ups surface as readable so that the read
                // path sees EOF/error and closes the connection.
                readable: ev.is_readable() || ev.is_read_closed() || ev.is_error(),
                writable: ev.is_writable() || ev.is_write_closed(),
            });
        }
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

    #[test]
    fn spins_only_after_short_waits() {
        let now = Instant::now();
        let mut p = SpinPolicy::default();
        assert!(!p.should_spin(now, None), "a fresh server does not spin");
        p.after_wait(Duration::from_micros(20), true);
        assert!(p.should_spin(now, None));
        assert!(p.should_spin(now, Some(Duration::from_millis(100))));
        assert!(!p.should_spin(now, Some(Duration::from_micros(10))));
        p.after_wait(Duration::from_micros(20), false);
        assert!(!p.should_spin(now, None), "a wait ended by its timeout");
        p.after_wait(Duration::from_millis(3), true);
        assert!(!p.should_spin(now, None), "a long wait");
    }

    #[test]
    fn slow_yields_pause_spinning() {
        let now = Instant::now();
        let mut p = SpinPolicy::default();
        p.after_wait(Duration::from_micros(1), true);
        let slow = Duration::from_micros(40);
        assert!(p.after_yield(slow, now));
        assert!(
            p.after_yield(Duration::from_micros(1), now),
            "fast yield resets"
        );
        assert!(p.after_yield(slow, now));
        assert!(p.after_yield(slow, now));
        assert!(!p.after_yield(slow, now), "third slow yield in a row");
        assert!(!p.should_spin(now, None));
        assert!(!p.should_spin(now + Duration::from_millis(99), None));
        assert!(p.should_spin(now + SPIN_PAUSE, None));
    }
}
