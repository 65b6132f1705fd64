//! Client-side caching (CLIENT TRACKING), compared with real Redis 7.0:
//! scripted sessions over several connections — a tracking client, the
//! client its messages are redirected to, and a writer — run on both
//! servers, and every byte each connection receives after each step is
//! compared. Client ids differ between the servers, so steps name them as
//! `{idN}` (the id of connection N).

mod common;

use common::{encode_strs, escape, redis_binary, server_binary, Client, Server};

/// What connection `conn` sends; `{idN}` is replaced by connection N's id.
type Step = (usize, &'static str);

const MARK: &str = "__tracking_sync__";

/// Everything `c` received up to the reply to a `PING MARK` sent now (the
/// one command every connection may send, RESP2 subscribers included);
/// None once the connection is closed or silent.
fn drain(c: &mut Client) -> Option<Vec<u8>> {
    c.try_send_raw(&encode_strs(&["PING", MARK])).ok()?;
    let mut got = Vec::new();
    loop {
        let r = c.try_read_raw_reply().ok()?;
        if r.windows(MARK.len()).any(|w| w == MARK.as_bytes()) {
            return Some(got);
        }
        got.extend_from_slice(&r);
    }
}

/// HELLO's reply carries the connection's id, which differs by server.
fn mask_hello_id(bytes: &mut Vec<u8>) {
    let tag = b"$2\r\nid\r\n:";
    if let Some(at) = bytes.windows(tag.len()).position(|w| w == tag) {
        let start = at + tag.len();
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        bytes.splice(start..end, *b"ID");
    }
}

/// Run `steps` on a fresh server of `binary`; one transcript line per step
/// and connection that received something.
fn transcript(binary: &std::path::Path, conns: usize, steps: &[Step]) -> Vec<String> {
    let server = Server::start(binary, &["--save", "", "--enable-debug-command", "yes"]);
    let mut cs: Vec<Client> = (0..conns).map(|_| server.client()).collect();
    let mut open = vec![true; conns];
    let mut in_multi = vec![false; conns];
    let ids: Vec<String> = cs
        .iter_mut()
        .map(|c| {
            c.cmd(&["CLIENT", "ID"])
                .as_int()
                .expect("CLIENT ID")
                .to_string()
        })
        .collect();
    let mut lines = Vec::new();
    for (n, (conn, cmd)) in steps.iter().enumerate() {
        let mut text = cmd.to_string();
        for (i, id) in ids.iter().enumerate() {
            text = text.replace(&format!("{{id{i}}}"), id);
        }
        let args: Vec<&str> = text.split(' ').collect();
        let _ = cs[*conn].try_send_raw(&encode_strs(&args));
        // Let the command's event-loop turn (and its end-of-turn BCAST
        // messages) finish before anything else arrives: a PING pipelined
        // behind the command would land in the same turn on one server
        // and not on the other.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let order = std::iter::once(*conn).chain((0..conns).filter(|i| i != conn));
        for i in order {
            if !open[i] {
                continue;
            }
            let got = if in_multi[i] {
                // Inside MULTI a PING would be queued: read just the reply.
                if i != *conn {
                    continue;
                }
                cs[i].try_read_raw_reply().ok()
            } else {
                drain(&mut cs[i])
            };
            match got {
                Some(mut got) if !got.is_empty() => {
                    mask_hello_id(&mut got);
                    let mut text = escape(&got);
                    // Ids in replies that carry them, by name.
                    let has_id = cmd.starts_with("CLIENT GETREDIR")
                        || cmd.starts_with("CLIENT TRACKINGINFO")
                        || text.contains("tracking-redir-broken");
                    for (j, id) in ids.iter().enumerate().filter(|_| has_id) {
                        text = text.replace(&format!(":{id}\\r\\n"), &format!(":{{id{j}}}\\r\\n"));
                    }
                    lines.push(format!("step {n} [{conn}] {cmd}: conn {i} got {text}"));
                }
                Some(_) => {}
                None => {
                    open[i] = false;
                    lines.push(format!("step {n} [{conn}] {cmd}: conn {i} closed"));
                }
            }
            if i == *conn {
                if cmd.starts_with("MULTI") {
                    in_multi[i] = true;
                } else if cmd.starts_with("EXEC") || cmd.starts_with("DISCARD") {
                    in_multi[i] = false;
                }
            }
        }
    }
    lines
}

fn compare(conns: usize, steps: &[Step]) {
    let Some(redis) = redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let want = transcript(&redis, conns, steps);
    let got = transcript(&server_binary(), conns, steps);
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(
            g,
            w,
            "\nredis:\n{}\nferrodis transcript:\n{}",
            want.join("\n"),
            got.join("\n")
        );
    }
    assert_eq!(
        got.len(),
        want.len(),
        "\nredis:\n{}\nferrodis:\n{}",
        want.join("\n"),
        got.join("\n")
    );
}

#[test]
fn default_mode_invalidates_each_read_key_once() {
    compare(
        2,
        &[
            (0, "HELLO 3"),
            (0, "CLIENT TRACKING on"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "GET a"),
            (0, "MGET b c"),
            (1, "SET a 1"),
            (1, "SET a 2"),
            (1, "DEL b c"),
            (0, "SET a 3"),
            (0, "GET a"),
            (0, "INCR a"),
            (0, "HGETALL h"),
            (1, "HSET h f v"),
            (0, "GET x"),
            (1, "MULTI"),
            (1, "SET x 1"),
            (1, "SET y 1"),
            (1, "EXEC"),
            (0, "GET a"),
            (0, "MULTI"),
            (0, "SET a 9"),
            (0, "GET a"),
            (0, "EXEC"),
            (1, "SET a 10"),
            (0, "GET q"),
            (1, "FLUSHDB"),
            (0, "CLIENT TRACKING off"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "GET a"),
            (1, "SET a 11"),
        ],
    );
}

#[test]
fn expiry_and_flush_invalidate() {
    compare(
        2,
        &[
            (1, "DEBUG SET-ACTIVE-EXPIRE 0"),
            (0, "HELLO 3"),
            (0, "CLIENT TRACKING on"),
            (1, "SET k v PX 100"),
            (0, "GET k"),
            (1, "DEBUG SLEEP 0.2"),
            (1, "EXISTS k"),
            (0, "GET k"),
            (0, "GET z"),
            (1, "FLUSHALL"),
            (0, "FLUSHALL"),
            (1, "DEBUG SET-ACTIVE-EXPIRE 1"),
        ],
    );
}

#[test]
fn optin_optout_and_caching() {
    compare(
        2,
        &[
            (0, "HELLO 3"),
            (0, "CLIENT TRACKING on optin"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "GET a"),
            (1, "SET a 1"),
            (0, "CLIENT CACHING yes"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "GET a"),
            (0, "CLIENT CACHING yes"),
            (0, "PING"),
            (0, "GET b"),
            (0, "CLIENT CACHING yes"),
            (0, "MULTI"),
            (0, "GET c"),
            (0, "EXEC"),
            (1, "MSET a 2 b 2 c 2"),
            (0, "CLIENT CACHING no"),
            (0, "CLIENT TRACKING on optout"),
            (0, "CLIENT TRACKING off"),
            (0, "CLIENT TRACKING on optout"),
            (0, "CLIENT CACHING yes"),
            (0, "CLIENT CACHING no"),
            (0, "GET d"),
            (0, "GET e"),
            (1, "MSET d 1 e 1"),
            (0, "CLIENT CACHING maybe"),
            (0, "CLIENT TRACKING on optin optout"),
            (0, "CLIENT TRACKING on bcast optin"),
        ],
    );
}

#[test]
fn redirect_to_a_resp2_subscriber_and_broken_redirect() {
    compare(
        3,
        &[
            (1, "SUBSCRIBE __redis__:invalidate"),
            (0, "CLIENT TRACKING on redirect 999999"),
            (0, "CLIENT TRACKING on redirect {id1} noloop"),
            (0, "CLIENT GETREDIR"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "GET x"),
            (0, "SET x 1"),
            (0, "GET x"),
            (2, "SET x 2"),
            (0, "GET y"),
            (2, "FLUSHDB"),
            (0, "HELLO 3"),
            (0, "GET y"),
            (1, "QUIT"),
            (2, "SET y 1"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "CLIENT GETREDIR"),
            (0, "RESET"),
            (0, "CLIENT TRACKINGINFO"),
        ],
    );
}

#[test]
fn redirect_to_a_resp3_client_and_resp2_without_redirect() {
    compare(
        3,
        &[
            (1, "HELLO 3"),
            (0, "CLIENT TRACKING on redirect {id1}"),
            (0, "GET a"),
            (2, "SET a 1"),
            (2, "CLIENT TRACKING on"),
            (2, "GET b"),
            (0, "SET b 1"),
            (2, "CLIENT TRACKINGINFO"),
            (1, "FLUSHALL"),
        ],
    );
}

#[test]
fn broadcast_prefixes() {
    compare(
        3,
        &[
            (0, "HELLO 3"),
            (0, "CLIENT TRACKING on prefix a"),
            (0, "CLIENT TRACKING on bcast prefix a prefix ab"),
            (0, "CLIENT TRACKING on bcast prefix user: prefix obj:"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "CLIENT TRACKING on bcast prefix user:"),
            (0, "CLIENT TRACKING on bcast prefix u"),
            (0, "CLIENT TRACKING on bcast prefix session:"),
            (0, "CLIENT TRACKINGINFO"),
            (0, "CLIENT TRACKING on"),
            (1, "MSET user:2 a user:1 b other c obj:9 d"),
            (1, "SET session:x 1"),
            (1, "MULTI"),
            (1, "SET user:3 1"),
            (1, "DEL user:3"),
            (1, "EXEC"),
            (0, "SET user:4 1"),
            (2, "HELLO 3"),
            (2, "CLIENT TRACKING on bcast noloop"),
            (2, "SET anything 1"),
            (0, "SET user:5 1"),
            (1, "SET user:6 1"),
            (0, "CLIENT TRACKING off"),
            (1, "SET user:7 1"),
            (2, "CLIENT TRACKINGINFO"),
        ],
    );
}

#[test]
fn info_and_client_list_show_tracking() {
    let Some(redis) = redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    for binary in [redis, server_binary()] {
        let server = Server::start(&binary, &["--save", ""]);
        let mut t = server.client();
        let mut b = server.client();
        let mut w = server.client();
        t.cmd(&["HELLO", "3"]);
        assert_eq!(t.cmd(&["CLIENT", "TRACKING", "on"]), common::Reply::ok());
        t.cmd(&["MGET", "k1", "k2"]);
        b.cmd(&[
            "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b",
        ]);
        b.cmd(&["GET", "k1"]);
        let info = w.cmd(&["INFO"]);
        let info = info.as_str().expect("INFO text").to_string();
        for want in [
            "tracking_clients:2",
            "tracking_total_keys:2",
            "tracking_total_items:2",
            "tracking_total_prefixes:2",
        ] {
            assert!(
                info.contains(want),
                "{}: no {want} in INFO",
                binary.display()
            );
        }
        let list = w.cmd(&["CLIENT", "LIST"]);
        let list = list.as_str().expect("CLIENT LIST text");
        assert!(list.contains("flags=t "), "{}: {list}", binary.display());
        assert!(list.contains("flags=tB "), "{}: {list}", binary.display());
        assert!(list.contains("redir=0 "), "{}: {list}", binary.display());
        w.cmd(&["CONFIG", "SET", "tracking-table-max-keys", "1"]);
        // The table shrinks at the end of an event-loop turn, invalidating.
        w.cmd(&["PING"]);
        let info = w.cmd(&["INFO", "stats"]);
        assert!(
            info.as_str()
                .is_some_and(|s| s.contains("tracking_total_keys:1")),
            "{}: {info:?}",
            binary.display()
        );
        let push = t.read_raw_reply();
        assert!(
            String::from_utf8_lossy(&push).starts_with(">2\r\n$10\r\ninvalidate\r\n*1\r\n"),
            "{}: {}",
            binary.display(),
            escape(&push)
        );
    }
}
