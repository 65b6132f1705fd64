//! Real client libraries against the server: redis-py (from the venv that
//! scripts/install-test-deps.sh creates) runs a workload of every type,
//! pub/sub and MULTI/EXEC over RESP2 and RESP3. The same workload passes
//! against real Redis (FERRODIS_TEST_SERVER=/usr/bin/redis-server).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{server_binary, Server};

/// The venv's python with redis-py, or None (skip) when it is missing and
/// CI does not require it.
fn python_with_redis_py() -> Option<PathBuf> {
    let py = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-venv/bin/python");
    let ok = Command::new(&py)
        .args(["-c", "import redis"])
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(py);
    }
    if std::env::var("FERRODIS_REQUIRE_REDIS").as_deref() == Ok("1") {
        panic!("redis-py is missing: run scripts/install-test-deps.sh");
    }
    eprintln!("skipped: no redis-py venv (scripts/install-test-deps.sh creates it)");
    None
}

fn run_workload(protocol: &str) {
    let Some(py) = python_with_redis_py() else {
        return;
    };
    let s = Server::start(server_binary(), &[]);
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/redis_py_workload.py");
    let out = Command::new(py)
        .arg(script)
        .arg(s.port().to_string())
        .arg(protocol)
        .output()
        .expect("run the redis-py workload");
    assert!(
        out.status.success(),
        "redis-py workload (RESP{protocol}) failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn redis_py_resp2() {
    run_workload("2");
}

#[test]
fn redis_py_resp3() {
    run_workload("3");
}
