//! A TCP proxy that loses the answer: it forwards one HTTP request to the server, reads the
//! server's whole response, keeps it for the test, and closes the client's connection without
//! sending a byte of it. The client sees its connection drop after the server finished (for a
//! push: after the commit), which is what a device on a failing mobile connection sees.
//!
//! It speaks just enough HTTP/1.1 for that: a head ending in a blank line, then a body of
//! `Content-Length` bytes (what the client and the server here send).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct AnswerLosingProxy {
    /// `http://127.0.0.1:<port>`: send requests here instead of to the server.
    pub base: String,
    withheld: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl AnswerLosingProxy {
    /// A proxy in front of the server at `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> Self {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .parse()
            .expect("the server's address");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the proxy listens");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let withheld = Arc::new(Mutex::new(Vec::new()));
        let kept = withheld.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    if let Ok(response) = forward_and_withhold(client, upstream).await
                        && let Ok(mut kept) = kept.lock()
                    {
                        kept.push(response);
                    }
                });
            }
        });
        Self {
            base,
            withheld,
            task,
        }
    }

    /// The responses the server gave that the clients never received, in the order read.
    pub fn withheld(&self) -> Vec<Vec<u8>> {
        self.withheld.lock().map(|w| w.clone()).unwrap_or_default()
    }
}

impl Drop for AnswerLosingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Forwards one request from `client` to `upstream`, reads the whole response, and returns it
/// after closing `client` (dropped here) without writing to it.
async fn forward_and_withhold(
    mut client: TcpStream,
    upstream: SocketAddr,
) -> std::io::Result<Vec<u8>> {
    let request = read_message(&mut client).await?;
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&request).await?;
    let response = read_message(&mut server).await?;
    drop(client);
    Ok(response)
}

/// Reads one HTTP/1.1 message (head and `Content-Length` body) from `stream`.
pub async fn read_message(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut message = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let head_end = loop {
        if let Some(at) = message.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        message.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&message[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while message.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        message.extend_from_slice(&chunk[..n]);
    }
    Ok(message)
}

/// The body of an HTTP message read by [`read_message`].
pub fn body_of(message: &[u8]) -> &[u8] {
    message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(&[][..], |at| &message[at + 4..])
}
