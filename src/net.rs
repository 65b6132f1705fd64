//! Sockets: listeners bound the way Redis binds them, and socket options.
//!
//! Listeners are created with libc so that we control what std and mio do
//! not expose: `IPV6_V6ONLY` (so `*` and `::*` can share a port, as in Redis's
//! default `bind * -::*`), `SO_REUSEADDR` and the listen backlog
//! (`tcp-backlog`). The socket is then handed to mio as a non-blocking
//! listener.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd};

use mio::net::{TcpListener, TcpStream};

/// One address of the `bind` directive, parsed. A leading `-` marks the
/// address optional: failing to bind it (e.g. no IPv6) is not fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAddr {
    pub ip: IpAddr,
    pub optional: bool,
    /// The text as written, for log lines.
    pub text: String,
}

/// Parse one `bind` entry: `*`, `::*`, an IP, each optionally prefixed by `-`.
pub fn parse_bind(entry: &str) -> Result<BindAddr, String> {
    let (optional, addr) = match entry.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let ip = match addr {
        "*" => IpAddr::from([0u8, 0, 0, 0]),
        "::*" => IpAddr::from([0u16; 8]),
        other => other
            .parse::<IpAddr>()
            .map_err(|_| format!("Invalid bind address '{other}'"))?,
    };
    Ok(BindAddr {
        ip,
        optional,
        text: addr.to_string(),
    })
}

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

/// Create a non-blocking listening socket on `addr` with `backlog`.
pub fn listen(addr: SocketAddr, backlog: i32) -> io::Result<TcpListener> {
    let domain = if addr.is_ipv6() {
        libc::AF_INET6
    } else {
        libc::AF_INET
    };
    // SAFETY: plain socket(2) call; the fd is owned by `guard` right after.
    let fd = check(unsafe {
        libc::socket(
            domain,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    })?;
    // SAFETY: `fd` is a fresh socket we own; the std listener closes it on drop.
    let guard = unsafe { std::net::TcpListener::from_raw_fd(fd) };
    let one: libc::c_int = 1;
    let set = |level, name| -> io::Result<()> {
        // SAFETY: `one` lives across the call and its size is passed.
        check(unsafe {
            libc::setsockopt(
                fd,
                level,
                name,
                &one as *const libc::c_int as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        })
        .map(|_| ())
    };
    set(libc::SOL_SOCKET, libc::SO_REUSEADDR)?;
    if addr.is_ipv6() {
        set(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY)?;
    }
    let (storage, len) = sockaddr_of(addr);
    // SAFETY: `storage` holds a valid sockaddr of `len` bytes.
    check(unsafe { libc::bind(fd, &storage as *const _ as *const libc::sockaddr, len) })?;
    // SAFETY: listen(2) on our own socket.
    check(unsafe { libc::listen(fd, backlog) })?;
    Ok(TcpListener::from_std(guard))
}

fn sockaddr_of(addr: SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: sockaddr_storage is plain old data; all-zero is a valid value.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_in fits in sockaddr_storage.
            unsafe { std::ptr::write(&mut storage as *mut _ as *mut libc::sockaddr_in, sin) };
            (
                storage,
                std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
            )
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: sockaddr_in6 fits in sockaddr_storage.
            unsafe { std::ptr::write(&mut storage as *mut _ as *mut libc::sockaddr_in6, sin6) };
            (
                storage,
                std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t,
            )
        }
    }
}

/// Options Redis sets on every accepted connection: no Nagle delay, and TCP
/// keepalive probes every `keepalive` seconds when non-zero.
pub fn tune_client_socket(stream: &TcpStream, keepalive: i64) {
    let _ = stream.set_nodelay(true);
    if keepalive <= 0 {
        return;
    }
    let fd = stream.as_raw_fd();
    let set = |level, name, val: libc::c_int| {
        // SAFETY: `val` lives across the call and its size is passed.
        unsafe {
            libc::setsockopt(
                fd,
                level,
                name,
                &val as *const libc::c_int as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
    };
    let interval = keepalive.clamp(1, i32::MAX as i64) as libc::c_int;
    set(libc::SOL_SOCKET, libc::SO_KEEPALIVE, 1);
    set(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, interval);
    set(
        libc::IPPROTO_TCP,
        libc::TCP_KEEPINTVL,
        (interval / 3).max(1),
    );
    set(libc::IPPROTO_TCP, libc::TCP_KEEPCNT, 3);
}

/// Read up to `want` bytes from `stream` into the spare capacity of `buf`
/// and extend it by what was read. Unlike `Read::read` into a zeroed tail,
/// this costs no memset of the read area, which matters when each event
/// brings a few hundred bytes and the read area is 16 KB.
pub fn read_into_spare(stream: &TcpStream, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    buf.reserve(want);
    let len = buf.len();
    // SAFETY: `reserve` guarantees `want` bytes of capacity after `len`;
    // read(2) writes at most `want` bytes there, and only the `n` bytes it
    // reports written are then exposed through `set_len`.
    let n = unsafe {
        libc::read(
            stream.as_raw_fd(),
            buf.as_mut_ptr().add(len) as *mut libc::c_void,
            want,
        )
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: see above; `n` bytes past `len` were initialized by read(2).
    unsafe { buf.set_len(len + n as usize) };
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_entries() {
        let a = parse_bind("-::1").unwrap();
        assert!(a.optional);
        assert!(a.ip.is_ipv6());
        assert_eq!(parse_bind("*").unwrap().ip, IpAddr::from([0u8, 0, 0, 0]));
        assert!(parse_bind("nope").is_err());
    }

    #[test]
    fn v4_and_v6_share_a_port() {
        let l4 = listen("127.0.0.1:0".parse().unwrap(), 16).unwrap();
        let port = l4.local_addr().unwrap().port();
        // ::1 may be unavailable in some sandboxes; only check when it is.
        if let Ok(l6) = listen(SocketAddr::new("::1".parse().unwrap(), port), 16) {
            assert_eq!(l6.local_addr().unwrap().port(), port);
        }
    }
}
