//! The `atlas-backend` binary as scripts (xtask, the end-to-end tests) use it.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_atlas-backend");

#[test]
#[cfg(unix)]
fn the_binary_prints_one_running_line_serves_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("new/atlas.db").display()),
        )
        .env("ATLAS_DIST", dir.path().join("dist"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("a line");
    let addr = line
        .trim_end()
        .strip_prefix("Partnership Atlas is running at http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(
        dir.path().join("new/atlas.db").is_file(),
        "the database file was created"
    );

    // It answers (a hand-written request: std only).
    let mut stream = std::net::TcpStream::connect(&addr).expect("connects");
    std::io::Write::write_all(
        &mut stream,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("waits") {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
    let mut rest = String::new();
    stdout
        .read_to_string(&mut rest)
        .expect("the rest of stdout");
    assert_eq!(rest, "", "stdout carries exactly one line");
}

#[test]
fn an_unsupported_database_url_is_a_clear_error_that_hides_the_password() {
    let output = Command::new(BIN)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            "mysql://atlas:hunter2@localhost/atlas",
        ])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unsupported database URL scheme \"mysql\"; this build supports sqlite:"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn create_admin_makes_the_first_administrator_once_and_refuses_a_short_password() {
    // On the test database (PostgreSQL too, with `ATLAS_TEST_DATABASE_URL`).
    let storage = crate::common::Storage::new();
    let url = storage.database_url.clone();
    let create = |password: &str| {
        Command::new(BIN)
            .args([
                "create-admin",
                "--email",
                "First@Council.example",
                "--name",
                "First Admin",
            ])
            .env("DATABASE_URL", &url)
            .env("ATLAS_ADMIN_PASSWORD", password)
            .stdin(Stdio::null())
            .output()
            .expect("the command runs")
    };
    let short = create("short");
    assert!(!short.status.success());
    let said = String::from_utf8_lossy(&short.stderr);
    assert!(said.contains("at least 12 characters"), "{said}");

    let made = create("three random words");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let said = String::from_utf8_lossy(&made.stdout);
    assert!(said.contains("Created the administrator"), "{said}");

    let again = create("three random words");
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("an account with the email address first@council.example already exists"),
        "{said}"
    );
}
