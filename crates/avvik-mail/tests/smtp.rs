//! Sends real messages to an SMTP server that the test starts on 127.0.0.1, with
//! STARTTLS (a certificate made for the test) and without (a local relay), and checks
//! what arrives: the reference and the deadline, and none of the case's personal data.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;

use avvik_core::mail::{SmtpInput, SmtpSecurity};
use avvik_core::session::{self, Session};
use avvik_core::store::prelude::*;
use avvik_core::system::SystemInput;
use avvik_core::{CaseDocument, CaseKey, Organisation, Role, UserInput};
use avvik_store_sqlite::SqliteStore;
use chrono::{Duration, TimeZone, Utc};

const PASSWORD: &str = "et langt passord";

/// One message as the server received it.
#[derive(Debug, Clone, Default)]
struct Received {
    tls: bool,
    auth: Option<String>,
    from: String,
    to: Vec<String>,
    data: String,
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

fn read_line(s: &mut dyn Stream) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        line.push(byte[0]);
        if line.ends_with(b"\r\n") {
            return Some(String::from_utf8_lossy(&line[..line.len() - 2]).into_owned());
        }
    }
}

/// A small SMTP server: EHLO, STARTTLS (when it has a certificate), AUTH, MAIL, RCPT,
/// DATA, QUIT. One thread, one connection at a time.
struct Server {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    fn start(tls: Option<native_tls::TlsAcceptor>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                serve(conn, tls.clone(), &sink);
            }
        });
        Server { port, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn serve(conn: TcpStream, tls: Option<native_tls::TlsAcceptor>, sink: &Mutex<Vec<Received>>) {
    let mut s: Box<dyn Stream> = Box::new(conn);
    let mut msg = Received::default();
    let say = |s: &mut Box<dyn Stream>, text: &str| s.write_all(text.as_bytes()).is_ok();
    if !say(&mut s, "220 avvik-test ESMTP\r\n") {
        return;
    }
    while let Some(line) = read_line(&mut *s) {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            let starttls = if tls.is_some() && !msg.tls {
                "250-STARTTLS\r\n"
            } else {
                ""
            };
            say(
                &mut s,
                &format!("250-avvik-test\r\n{starttls}250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"),
            );
        } else if upper == "STARTTLS" {
            say(&mut s, "220 go ahead\r\n");
            // The plain stream is wrapped; what was said before the upgrade is forgotten.
            let acceptor = tls.clone().unwrap();
            let plain: Box<dyn Stream> = s;
            let raw = StreamAdapter(plain);
            match acceptor.accept(raw) {
                Ok(secure) => s = Box::new(secure),
                Err(_) => return,
            }
            msg = Received {
                tls: true,
                ..Received::default()
            };
        } else if upper.starts_with("AUTH") {
            msg.auth = Some(line.clone());
            say(&mut s, "235 2.7.0 accepted\r\n");
        } else if upper.starts_with("MAIL FROM:") {
            msg.from = line[10..].trim().to_owned();
            say(&mut s, "250 ok\r\n");
        } else if upper.starts_with("RCPT TO:") {
            msg.to.push(line[8..].trim().to_owned());
            say(&mut s, "250 ok\r\n");
        } else if upper == "DATA" {
            say(&mut s, "354 end with .\r\n");
            let mut data = String::new();
            while let Some(l) = read_line(&mut *s) {
                if l == "." {
                    break;
                }
                data.push_str(&l);
                data.push('\n');
            }
            msg.data = data;
            sink.lock().unwrap().push(msg.clone());
            say(&mut s, "250 queued\r\n");
        } else if upper == "QUIT" {
            say(&mut s, "221 bye\r\n");
            return;
        } else if upper == "RSET" || upper == "NOOP" {
            say(&mut s, "250 ok\r\n");
        } else {
            say(&mut s, "502 not implemented\r\n");
        }
    }
}

/// Lets a boxed stream be handed to the TLS acceptor, which wants a sized type.
struct StreamAdapter(Box<dyn Stream>);
impl Read for StreamAdapter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}
impl Write for StreamAdapter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
impl std::fmt::Debug for StreamAdapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamAdapter")
    }
}

/// A self-signed certificate for 127.0.0.1, made with the openssl command.
fn certificate(dir: &Path) -> (String, native_tls::TlsAcceptor) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=avvik-test",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("the openssl command makes the test certificate");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let cert_pem = std::fs::read_to_string(&cert).unwrap();
    let key_pem = std::fs::read(&key).unwrap();
    let identity = native_tls::Identity::from_pkcs8(cert_pem.as_bytes(), &key_pem).unwrap();
    (cert_pem, native_tls::TlsAcceptor::new(identity).unwrap())
}

/// A store with the general manager (with an e-mail address), a system, and a
/// submitted case full of personal data; SMTP settings as given.
fn store_with_case(smtp: SmtpInput) -> (SqliteStore, avvik_core::Case) {
    let store = SqliteStore::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let org = Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974760673".into(),
        ..Default::default()
    };
    let leder = UserInput {
        username: "leder".into(),
        name: "Lise Leder".into(),
        email: Some("lise@fjordtech.no".into()),
        roles: vec![Role::Handler],
        password: PASSWORD.into(),
    };
    session::initialize(&store, org, leder.check().unwrap(), now).unwrap();
    let s = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    s.save_smtp(Some(smtp), now).unwrap();
    let system = SystemInput {
        name: "Microsoft 365".into(),
        ..Default::default()
    };
    s.add_system(&system.check().unwrap(), now).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/misdirected-email.json"),
    )
    .unwrap();
    let draft = CaseDocument::from_json(&text).unwrap().check(now).unwrap();
    let case = s.create_case(&draft, true, now).unwrap();
    (store, case)
}

/// Every piece of the case's content that must never travel in the e-mail.
fn personal_content(case: &avvik_core::Case) -> Vec<String> {
    let f = &case.form;
    let mut out = vec![
        f.title.clone().unwrap(),
        f.reporter.as_ref().unwrap().name.clone().unwrap(),
        f.reporter.as_ref().unwrap().contact.clone().unwrap(),
        "regnskapsfører".into(),
        "fødselsnummer".into(),
        "national_id_number".into(),
        "Microsoft 365".into(),
    ];
    out.extend(
        f.description
            .clone()
            .unwrap()
            .split('\n')
            .filter(|l| l.len() > 20)
            .map(|l| l[..20].to_owned()),
    );
    out
}

/// The message as a person reads it: quoted-printable soft breaks joined and `=XX`
/// escapes decoded, so a search for «fødselsnummer» cannot miss `f=C3=B8dselsnummer`.
fn decoded(data: &str) -> String {
    assert!(
        !data.contains("Content-Transfer-Encoding: base64"),
        "a base64 body would hide text:\n{data}"
    );
    let joined = data.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

fn assert_clean(data: &str, case: &avvik_core::Case) {
    let flat = decoded(data);
    assert!(flat.contains("Åpne Avvik"), "the decoding works:\n{flat}");
    for secret in personal_content(case) {
        assert!(
            !flat.contains(&secret),
            "the e-mail holds «{secret}»:\n{data}"
        );
    }
}

#[test]
fn a_notice_goes_out_over_starttls_after_a_failed_try_and_holds_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let (cert_pem, acceptor) = certificate(dir.path());
    let server = Server::start(Some(acceptor));
    let smtp = SmtpInput {
        host: "127.0.0.1".into(),
        port: Some(server.port),
        security: SmtpSecurity::Starttls,
        username: Some("avvik".into()),
        password: Some("smtp-passord".into()),
        sender: "avvik@fjordtech.no".into(),
        ca_certificate: None,
    };
    let (store, case) = store_with_case(smtp.clone());
    let submitted = case.submitted_at.unwrap();

    // The server's certificate is not trusted yet: the send fails, is recorded, and
    // nothing reaches the server.
    let report = avvik_mail::deliver_pending(&store, submitted).unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let notice = &store.case(CaseKey::Id(case.id)).unwrap().notices[0];
    assert!(notice.mail_pending);
    assert!(notice.mail_error.is_some(), "{notice:?}");
    assert!(server.received().is_empty());

    // The admin adds the company's root certificate; the next round, after the pause,
    // sends it.
    let s = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    s.save_smtp(
        Some(SmtpInput {
            // A changed server setting needs the password again: a stored one is never
            // handed to settings it was not given for.
            password: Some("smtp-passord".into()),
            ca_certificate: Some(cert_pem),
            ..smtp
        }),
        submitted,
    )
    .unwrap();
    let later = submitted + Duration::minutes(2);
    let report = avvik_mail::deliver_pending(&store, later).unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    let got = server.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert!(m.tls, "the message went over TLS");
    assert!(
        m.auth.as_deref().is_some_and(|a| a.starts_with("AUTH")),
        "{m:?}"
    );
    assert_eq!(m.from, "<avvik@fjordtech.no>");
    assert_eq!(m.to, ["<lise@fjordtech.no>"]);
    let reference = case.reference.unwrap().to_string();
    assert!(
        m.data
            .contains(&format!("Subject: Nytt avvik {reference} er meldt")),
        "{}",
        m.data
    );
    let text = decoded(&m.data);
    assert!(
        text.contains("Frist for melding til Datatilsynet"),
        "{text}"
    );
    assert!(
        text.contains("25.11.2026 kl. 10:00"),
        "the deadline in Oslo time:\n{text}"
    );
    assert_clean(&m.data, &case);

    let notice = &store.case(CaseKey::Id(case.id)).unwrap().notices[0];
    assert_eq!(
        (notice.mail_pending, notice.mailed_at),
        (false, Some(later))
    );
    // Sent once: nothing more is due.
    assert_eq!(
        avvik_mail::deliver_pending(&store, later + Duration::hours(2))
            .unwrap()
            .sent,
        0
    );
}

#[test]
fn a_local_relay_takes_the_notice_without_encryption() {
    let server = Server::start(None);
    let smtp = SmtpInput {
        host: "127.0.0.1".into(),
        port: Some(server.port),
        security: SmtpSecurity::None,
        sender: "avvik@fjordtech.no".into(),
        ..Default::default()
    };
    let (store, case) = store_with_case(smtp);
    let report = avvik_mail::deliver_pending(&store, case.submitted_at.unwrap()).unwrap();
    assert_eq!(report.sent, 1);
    let got = server.received();
    assert!(!got[0].tls && got[0].auth.is_none());
    assert_clean(&got[0].data, &case);
}
