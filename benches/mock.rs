//! The mock server: start-up time and status-check throughput, each against a bare
//! axum server (one route, fixed JSON) measured in the same run.
//!
//! Start-up = `MockServer::start().await` returning (port bound, serve task spawned);
//! also timed until it has answered one HTTP request on a fresh connection (proof it
//! serves). The bare server: bind 127.0.0.1:0 and spawn `axum::serve`. Target: the
//! mock's median start < 5 ms (absolute; the ratio is reported alongside).
//!
//! Throughput = status checks per second from C concurrent SDK clients (one
//! keep-alive connection each) for a fixed window; rate limits off. Against the
//! mock the call is a real render's status; against the bare server the same call
//! gets a fixed body. No target: reported as a ratio.
//!
//! `cargo bench --bench mock` (BENCH_STARTS, BENCH_CLIENTS, BENCH_WINDOW_MS, BENCH_WINDOWS).

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{Row, abab, env_or, median, minimal, paired_ratio, percentile, print_table, runtime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ugc_video::Client;
use ugc_video::mock::MockServer;
use ugc_video::models::videos::VideoStatusRequest;
use ugc_video::types::Engine;

/// Sends one request on a new connection and waits for the status line.
async fn answers(addr: SocketAddr) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connects");
    s.write_all(b"GET /ping HTTP/1.1\r\nhost: bench\r\nconnection: close\r\n\r\n").await.expect("sends");
    let mut line = [0u8; 12];
    s.read_exact(&mut line).await.expect("an answer");
    assert!(line.starts_with(b"HTTP/1.1 "), "{:?}", String::from_utf8_lossy(&line));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// (start returned, first answer), in ms.
async fn start_mock() -> (f64, f64) {
    let t = Instant::now();
    let mock = MockServer::start().await;
    let started = t.elapsed();
    answers(mock.addr()).await;
    let answered = t.elapsed();
    mock.shutdown().await;
    (ms(started), ms(answered))
}

async fn start_bare() -> (f64, f64) {
    let t = Instant::now();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("bound");
    let serve = tokio::spawn(async move { axum::serve(listener, minimal::router()).await });
    let started = t.elapsed();
    answers(addr).await;
    let answered = t.elapsed();
    serve.abort();
    let _ = serve.await;
    (ms(started), ms(answered))
}

/// Status checks per second from `clients` looping for `window`.
async fn throughput(clients: &[Client], req: &VideoStatusRequest, window: Duration) -> f64 {
    let t = Instant::now();
    let tasks: Vec<_> = clients
        .iter()
        .map(|c| {
            let (c, req) = (c.clone(), req.clone());
            tokio::spawn(async move {
                let mut n = 0u64;
                while t.elapsed() < window {
                    c.videos().status(req.clone()).await.expect("a status");
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("no panic");
    }
    total as f64 / t.elapsed().as_secs_f64()
}

fn main() {
    let starts = env_or("BENCH_STARTS", 101);
    let n_clients = env_or("BENCH_CLIENTS", 8usize);
    let window = Duration::from_millis(env_or("BENCH_WINDOW_MS", 500));
    let windows = env_or("BENCH_WINDOWS", 6);
    let rt = runtime();

    // ---- start-up
    let (cold, cold_answer) = rt.block_on(start_mock());
    let (mut mock_answer, mut bare_answer) = (Vec::new(), Vec::new());
    let (bare, mock) = abab(
        5,
        starts,
        || {
            let (s, a) = rt.block_on(start_bare());
            bare_answer.push(a);
            s
        },
        || {
            let (s, a) = rt.block_on(start_mock());
            mock_answer.push(a);
            s
        },
    );
    let (bare_answer, mock_answer) = (&bare_answer[5..], &mock_answer[5..]);
    let (m, b) = (median(&mock), median(&bare));
    let (ma, ba) = (median(mock_answer), median(bare_answer));
    let rows = vec![
        Row::new("start() returns, median", format!("{b:.3} ms"), format!("{m:.3} ms"), paired_ratio(&bare, &mock))
            .target("< 5 ms", m < 5.0),
        Row::new(
            "start() returns, p95",
            format!("{:.3} ms", percentile(&bare, 95.0)),
            format!("{:.3} ms", percentile(&mock, 95.0)),
            percentile(&mock, 95.0) / percentile(&bare, 95.0),
        ),
        Row::new(
            "start → first answer, median",
            format!("{ba:.3} ms"),
            format!("{ma:.3} ms"),
            paired_ratio(bare_answer, mock_answer),
        ),
    ];
    print_table("mock start-up: MockServer::start() (subject) vs bare axum (baseline)", &rows);
    println!("first start in the process (cold): {cold:.3} ms returned, {cold_answer:.3} ms first answer");
    // Diagnosis: what one reqwest::Client costs to build (the mock builds one per start
    // for webhook deliveries; rustls loads the platform's root certificates).
    let builds: Vec<f64> = (0..31)
        .map(|_| {
            let t = Instant::now();
            let c = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("a client");
            let took = ms(t.elapsed());
            drop(c);
            took
        })
        .collect();
    println!("one reqwest::Client::builder().build(): median {:.3} ms", median(&builds));

    // ---- throughput
    let (mock_rate, bare_rate, recorded) = rt.block_on(async {
        let mock = MockServer::builder().rate_limits(false).start().await;
        let bare_url = minimal::start().await;
        let start = common::start_request(Engine::Veo);
        let op = mock.client().videos().start(start).await.expect("a render").into_inner().operation.name;
        let req = VideoStatusRequest::builder().operation_name(op).engine(Engine::Veo).build();
        let to_mock: Vec<Client> = (0..n_clients).map(|_| mock.client()).collect();
        let to_bare: Vec<Client> = (0..n_clients)
            .map(|_| Client::builder().base_url(&bare_url).api_key(mock.api_key()).build().expect("a client"))
            .collect();
        // Sequential windows, ABAB; the first pair warms connections and is dropped.
        let (mut bare, mut subject) = (Vec::new(), Vec::new());
        for i in 0..=windows {
            let b = throughput(&to_bare, &req, window).await;
            let s = throughput(&to_mock, &req, window).await;
            if i > 0 {
                bare.push(b);
                subject.push(s);
            }
        }
        (median(&subject), median(&bare), mock.requests().len())
    });
    let rows = vec![Row::new(
        format!("status checks/s, {n_clients} clients"),
        format!("{bare_rate:.0}/s"),
        format!("{mock_rate:.0}/s"),
        mock_rate / bare_rate,
    )];
    print_table("mock throughput: mock (subject) vs bare axum (baseline), median of windows", &rows);
    println!("(the mock recorded {recorded} requests in its log meanwhile)");
}
