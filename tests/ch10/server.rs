use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::seeded::{self, Rng};

use crate::server::serve;

/// How long a client waits for an answer before it calls the server stuck.
const PATIENCE: Duration = Duration::from_secs(3);

/// A client: a connection and a reader over it for whole lines.
struct Client {
    id: usize,
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(id: usize, port: u16) -> Client {
        let writer = TcpStream::connect(("127.0.0.1", port)).expect("connect to the server");
        writer.set_read_timeout(Some(PATIENCE)).unwrap();
        let reader = BufReader::new(writer.try_clone().unwrap());
        Client { id, writer, reader }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer
            .write_all(bytes)
            .unwrap_or_else(|e| panic!("client {} could not send: {e}", self.id));
    }

    /// Reads one answer; panics, saying what the client was waiting for, if none comes.
    fn answer(&mut self, waiting_for: &str, others: usize) -> String {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => panic!(
                "client {} sent {waiting_for:?} and the server closed the connection without \
                 an answer",
                self.id
            ),
            Ok(_) => line,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                panic!(
                    "client {} sent {waiting_for:?} and had no answer after {PATIENCE:?}, \
                     while {others} other clients were connected and quiet. Does your server \
                     serve one client at a time, waiting on the first until it hangs up? Ask \
                     poll which connection has something to read.",
                    self.id
                )
            }
            Err(e) => panic!("client {} could not read its answer: {e}", self.id),
        }
    }
}

/// Starts `serve(listener, clients)` on a thread of its own; the receiver gets its result.
fn start(clients: usize) -> (u16, mpsc::Receiver<io::Result<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().unwrap().port();
    let (done_tx, done_rx) = mpsc::channel();
    thread::Builder::new()
        .name("serve".into())
        .spawn(move || {
            done_tx.send(serve(listener, clients)).ok();
        })
        .expect("start the server's thread");
    (port, done_rx)
}

/// Waits for `serve` to return after its last client hung up.
fn finished(done: mpsc::Receiver<io::Result<()>>, clients: usize) {
    match done.recv_timeout(PATIENCE) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("serve returned an error: {e}"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "all {clients} clients connected and hung up, but serve had not returned \
             {PATIENCE:?} later: it returns once `clients` connections were accepted and \
             closed"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("serve panicked"),
    }
}

#[test]
fn a_client_is_served_while_others_have_yet_to_connect() {
    let _graded = support::sealed::graded();
    // serve(listener, 3): client 0 connects and asks before clients 1 and 2 exist. A server
    // that accepts all 3 before serving anyone waits in accept for a client that comes only
    // after client 0's answer.
    let (port, done) = start(3);
    let mut first = Client::connect(0, port);
    first.send(b"first\n");
    let mut line = String::new();
    let got = first.reader.read_line(&mut line);
    assert!(
        matches!(got, Ok(n) if n > 0) && line == "FIRST\n",
        "client 0 sent \"first\\n\" while the 2 other clients had yet to connect: expected \
         \"FIRST\\n\" within {PATIENCE:?}, yours {line:?} ({got:?}). Does your server accept \
         every client before it serves any? Poll the listener together with the connections."
    );
    let mut later: Vec<Client> = (1..3).map(|id| Client::connect(id, port)).collect();
    for client in &mut later {
        let request = format!("late {}\n", client.id);
        client.send(request.as_bytes());
        let answer = client.answer(&request, 2);
        assert_eq!(
            answer,
            request.to_uppercase(),
            "client {}: expected / yours",
            client.id
        );
    }
    drop(first);
    drop(later);
    finished(done, 3);
}

/// A re-run alone in its own process (`support::crash::isolated_test`), so the count of
/// this process's threads is not disturbed by other tests.
#[test]
fn fifty_waiting_clients_one_server_thread() {
    let _graded = support::sealed::graded();
    if !support::crash::is_rerun() {
        support::crash::isolated_test(
            "grading::server::fifty_waiting_clients_one_server_thread",
            Duration::from_secs(8),
            "the server waits on one client while the others wait on it",
        );
        return;
    }
    let count = 50;
    let before = support::threads::count();
    let (port, done) = start(count);
    let mut clients: Vec<Client> = (0..count).map(|id| Client::connect(id, port)).collect();
    // The last to connect asks first: a server busy with client 0 never answers it.
    for client in clients.iter_mut().rev() {
        let request = format!("hello from {}\n", client.id);
        client.send(request.as_bytes());
        let got = client.answer(&request, count - 1);
        assert_eq!(
            got,
            request.to_uppercase(),
            "client {} sent {request:?}: expected / yours",
            client.id
        );
    }
    // Every client is connected, has had an answer, and is waiting: count the threads.
    let during = support::threads::count();
    assert!(
        during <= before + 2,
        "{count} clients connected and waiting: this process had {before} threads before the \
         server started and {during} now. The server may have one thread (it is given \
         one), not one per client."
    );
    for client in clients.iter_mut() {
        let request = format!("bye {}\n", client.id);
        client.send(request.as_bytes());
        let got = client.answer(&request, count - 1);
        assert_eq!(
            got,
            request.to_uppercase(),
            "client {}: expected / yours",
            client.id
        );
    }
    drop(clients);
    finished(done, count);
}

#[test]
fn lines_in_pieces_and_in_bunches() {
    let _graded = support::sealed::graded();
    // Requests arrive cut anywhere, and several at once: a server answers whole lines.
    let seed = seeded::fresh();
    let mut rng = Rng::new(seed);
    let count = 6;
    let (port, done) = start(count);
    let mut clients: Vec<Client> = (0..count).map(|id| Client::connect(id, port)).collect();
    for round in 0..20 {
        let who = rng.between(0, count as u64 - 1) as usize;
        let lines: Vec<String> = (0..rng.between(1, 4))
            .map(|k| format!("round {round} line {k} x{}\n", rng.between(0, 999_999)))
            .collect();
        let bytes = lines.concat().into_bytes();
        let cut = rng.between(1, bytes.len() as u64 - 1) as usize;
        let client = &mut clients[who];
        client.send(&bytes[..cut]);
        client.writer.flush().ok();
        thread::sleep(Duration::from_millis(5));
        client.send(&bytes[cut..]);
        for line in &lines {
            let got = client.answer(line, count - 1);
            assert_eq!(
                got,
                line.to_uppercase(),
                "client {who} sent {:?} cut after byte {cut}: for the line {line:?}, \
                 expected / yours (replay with PTM_SEED={seed})",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
    drop(clients);
    finished(done, count);
}

#[test]
fn a_conversation() {
    let _graded = support::sealed::graded();
    let (port, done) = start(3);
    let mut clients: Vec<Client> = (0..3).map(|id| Client::connect(id, port)).collect();
    let mut report = String::new();
    for (id, request) in [
        (2, "one thread\n"),
        (0, "many clients\n"),
        (1, "poll says who is ready\n"),
        (2, "bye\n"),
    ] {
        clients[id].send(request.as_bytes());
        let got = clients[id].answer(request, 2);
        report += &format!("client {id}: {:?} -> {got:?}\n", request);
    }
    drop(clients);
    finished(done, 3);
    support::assert_graded_snapshot!("ch10-server-conversation", report);
}
