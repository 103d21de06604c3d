//! Signature scheme, secret handling and verifier hardening.

use std::time::Duration;

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use ugc_video::webhooks::{
    HEADER_WEBHOOK_ID, HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP, MAX_ID_LEN, MAX_SIGNATURE_ENTRIES,
    SecretError, Signer, Verifier, WebhookError, WebhookSecret,
};

// The published Standard Webhooks test vector.
const VECTOR_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const VECTOR_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const VECTOR_TS: u64 = 1_614_265_330;
const VECTOR_TS_STR: &str = "1614265330";
const VECTOR_BODY: &[u8] = br#"{"test": 2432232314}"#;
const VECTOR_SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn vector_secret() -> WebhookSecret {
    WebhookSecret::parse(VECTOR_SECRET).expect("the vector secret parses")
}

fn vector_verifier() -> Verifier {
    Verifier::new(&vector_secret()).clock(|| VECTOR_TS)
}

fn headers(id: &str, ts: &str, sig: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(HEADER_WEBHOOK_ID, HeaderValue::from_str(id).unwrap());
    h.insert(HEADER_WEBHOOK_TIMESTAMP, HeaderValue::from_str(ts).unwrap());
    h.insert(HEADER_WEBHOOK_SIGNATURE, HeaderValue::from_str(sig).unwrap());
    h
}

fn secret_from(byte: u8) -> WebhookSecret {
    WebhookSecret::generate_with(|buf| buf.fill(byte))
}

// ---- signing and the published vector ----

#[test]
fn sign_reproduces_published_vector() {
    let signer = Signer::new(&vector_secret());
    assert_eq!(signer.sign(VECTOR_ID, VECTOR_TS, VECTOR_BODY), VECTOR_SIG);
}

#[test]
fn verify_accepts_published_vector_from_parts() {
    let msg =
        vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY).expect("vector verifies");
    assert_eq!(msg.id(), VECTOR_ID);
    assert_eq!(msg.timestamp(), VECTOR_TS);
    assert_eq!(msg.body(), VECTOR_BODY);
}

#[test]
fn verify_accepts_published_vector_from_header_map() {
    let h = headers(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG);
    let msg = vector_verifier().verify(&h, VECTOR_BODY).expect("vector verifies");
    assert_eq!(msg.id(), VECTOR_ID);
}

#[test]
fn from_whsec_builds_equivalent_verifier() {
    let v = Verifier::from_whsec(VECTOR_SECRET).unwrap().clock(|| VECTOR_TS);
    v.verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY).unwrap();
    assert!(matches!(Verifier::from_whsec("nope"), Err(WebhookError::InvalidSecret(SecretError::MissingPrefix))));
}

#[test]
fn signer_headers_round_trip() {
    let secret = secret_from(3);
    let h = Signer::new(&secret).headers("evt_abc", 42, b"body").unwrap();
    assert_eq!(h[HEADER_WEBHOOK_TIMESTAMP], "42");
    Verifier::new(&secret).clock(|| 42).verify(&h, b"body").unwrap();
    assert!(matches!(
        Signer::new(&secret).headers("evt.abc", 42, b"body"),
        Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_ID))
    ));
}

// ---- tampering ----

#[test]
fn tampered_body_is_rejected() {
    let r = vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, br#"{"test": 2432232315}"#);
    assert!(matches!(r, Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn tampered_id_or_timestamp_is_rejected() {
    let v = vector_verifier();
    assert!(matches!(
        v.verify_parts("msg_other", VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY),
        Err(WebhookError::NoMatchingSignature)
    ));
    assert!(matches!(
        v.verify_parts(VECTOR_ID, "1614265331", VECTOR_SIG, VECTOR_BODY),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn tampered_signature_is_rejected() {
    let mut sig = VECTOR_SIG.to_owned();
    sig.replace_range(3..4, "h");
    assert!(matches!(
        vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, &sig, VECTOR_BODY),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn wrong_secret_is_rejected() {
    let v = Verifier::new(&secret_from(9)).clock(|| VECTOR_TS);
    assert!(matches!(
        v.verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn empty_signature_header_is_rejected() {
    for sig in ["", " ", "v1,", "v1"] {
        assert!(
            matches!(
                vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, sig, VECTOR_BODY),
                Err(WebhookError::NoMatchingSignature)
            ),
            "{sig:?}"
        );
    }
}

// ---- timestamp tolerance ----

fn at(now: u64) -> Result<(), WebhookError> {
    Verifier::new(&vector_secret())
        .clock(move || now)
        .verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY)
        .map(|_| ())
}

#[test]
fn tolerance_is_inclusive_at_300_seconds_in_the_past() {
    assert!(at(VECTOR_TS + 300).is_ok());
    assert!(matches!(at(VECTOR_TS + 301), Err(WebhookError::TimestampTooOld)));
}

#[test]
fn tolerance_is_inclusive_at_300_seconds_in_the_future() {
    assert!(at(VECTOR_TS - 300).is_ok());
    assert!(matches!(at(VECTOR_TS - 301), Err(WebhookError::TimestampTooNew)));
}

#[test]
fn custom_tolerance_applies_both_ways() {
    let v = Verifier::new(&vector_secret()).tolerance(Duration::from_secs(10));
    let check = |now: u64| {
        v.clone().clock(move || now).verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY).map(|_| ())
    };
    assert!(check(VECTOR_TS + 10).is_ok());
    assert!(check(VECTOR_TS - 10).is_ok());
    assert!(matches!(check(VECTOR_TS + 11), Err(WebhookError::TimestampTooOld)));
    assert!(matches!(check(VECTOR_TS - 11), Err(WebhookError::TimestampTooNew)));
}

#[test]
fn extreme_clock_and_timestamp_values_do_not_overflow() {
    let secret = secret_from(1);
    let signer = Signer::new(&secret);
    let max_ts: u64 = 9_999_999_999_999_999_999; // 19 digits, the longest accepted
    let sig = signer.sign("evt_1", max_ts, b"x");
    let ts = max_ts.to_string();

    let v = Verifier::new(&secret).clock(|| 0);
    assert!(matches!(v.verify_parts("evt_1", &ts, &sig, b"x"), Err(WebhookError::TimestampTooNew)));
    let v = Verifier::new(&secret).clock(|| u64::MAX);
    let sig0 = signer.sign("evt_1", 0, b"x");
    assert!(matches!(v.verify_parts("evt_1", "0", &sig0, b"x"), Err(WebhookError::TimestampTooOld)));
    let v = Verifier::new(&secret).clock(|| u64::MAX).tolerance(Duration::MAX);
    assert!(v.verify_parts("evt_1", &ts, &sig, b"x").is_ok());
    assert!(v.verify_parts("evt_1", "0", &sig0, b"x").is_ok());
}

#[test]
fn timestamp_with_leading_zeros_is_signed_as_sent() {
    // The signed content uses the header text, so a sender that pads the
    // number must have signed the padded form.
    let secret = secret_from(2);
    let v = Verifier::new(&secret).clock(|| 42);
    let sig_plain = Signer::new(&secret).sign("evt_1", 42, b"x");
    assert!(matches!(v.verify_parts("evt_1", "0042", &sig_plain, b"x"), Err(WebhookError::NoMatchingSignature)));
    assert!(v.verify_parts("evt_1", "42", &sig_plain, b"x").is_ok());
}

// ---- rotation and multiple entries ----

#[test]
fn rotation_accepts_either_secret_until_old_is_dropped() {
    let old = secret_from(1);
    let new = secret_from(2);
    let sig_old = Signer::new(&old).sign("evt_1", 100, b"body");
    let sig_new = Signer::new(&new).sign("evt_1", 100, b"body");

    let both = Verifier::with_secrets([&old, &new]).unwrap().clock(|| 100);
    assert!(both.verify_parts("evt_1", "100", &sig_old, b"body").is_ok());
    assert!(both.verify_parts("evt_1", "100", &sig_new, b"body").is_ok());

    let only_new = Verifier::with_secrets([&new]).unwrap().clock(|| 100);
    assert!(only_new.verify_parts("evt_1", "100", &sig_new, b"body").is_ok());
    assert!(matches!(only_new.verify_parts("evt_1", "100", &sig_old, b"body"), Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn with_no_secrets_is_an_error() {
    assert!(matches!(
        Verifier::with_secrets(std::iter::empty::<&WebhookSecret>()),
        Err(WebhookError::InvalidSecret(SecretError::NoSecrets))
    ));
}

#[test]
fn junk_and_unknown_versions_are_skipped() {
    let good = VECTOR_SIG;
    let junk = [
        "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // unknown version
        "v1a,AAAA",                                         // asymmetric scheme
        "v1,!!!notbase64!!!",                               // bad base64
        "v1,AAAA",                                          // wrong length
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",   // missing padding
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE==", // too long
        "garbage",
        ",",
        "v1,,",
    ];
    let header = format!("{}  {good}", junk.join(" "));
    assert!(vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, &header, VECTOR_BODY).is_ok());
    let header = format!("{good} {}", junk.join(" "));
    assert!(vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, &header, VECTOR_BODY).is_ok());
}

#[test]
fn only_the_first_sixteen_entries_are_examined() {
    let junk = "v1,AAAA";
    let at_16 = format!("{} {VECTOR_SIG}", vec![junk; MAX_SIGNATURE_ENTRIES - 1].join(" "));
    assert!(vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, &at_16, VECTOR_BODY).is_ok());
    let at_17 = format!("{} {VECTOR_SIG}", vec![junk; MAX_SIGNATURE_ENTRIES].join(" "));
    assert!(matches!(
        vector_verifier().verify_parts(VECTOR_ID, VECTOR_TS_STR, &at_17, VECTOR_BODY),
        Err(WebhookError::NoMatchingSignature)
    ));
}

// ---- malformed input ----

#[test]
fn malformed_timestamps_are_rejected() {
    let cases = [
        String::new(),
        "abc".to_owned(),
        "16142653a0".to_owned(),
        "+1614265330".to_owned(),
        "-1614265330".to_owned(),
        " 1614265330".to_owned(),
        "1614265330 ".to_owned(),
        "1614 265330".to_owned(),
        "1614265330.0".to_owned(),
        "1e9".to_owned(),
        "１６１４２６５３３０".to_owned(), // full-width digits
        "1".repeat(25),
        u64::MAX.to_string(),
        "99999999999999999999".to_owned(),
    ];
    for ts in &cases {
        assert!(
            matches!(
                vector_verifier().verify_parts(VECTOR_ID, ts, VECTOR_SIG, VECTOR_BODY),
                Err(WebhookError::MalformedTimestamp)
            ),
            "{ts:?}"
        );
    }
}

#[test]
fn malformed_ids_are_rejected() {
    let long = "a".repeat(MAX_ID_LEN + 1);
    for id in ["", "msg.1", "msg 1", "msg\t1", "msg_é", long.as_str()] {
        assert!(
            matches!(
                vector_verifier().verify_parts(id, VECTOR_TS_STR, VECTOR_SIG, VECTOR_BODY),
                Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_ID))
            ),
            "{id:?}"
        );
    }
}

#[test]
fn id_of_maximum_length_is_accepted() {
    let secret = secret_from(4);
    let id = "a".repeat(MAX_ID_LEN);
    let sig = Signer::new(&secret).sign(&id, 5, b"{}");
    assert!(Verifier::new(&secret).clock(|| 5).verify_parts(&id, "5", &sig, b"{}").is_ok());
}

#[test]
fn missing_headers_are_named() {
    let full = headers(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG);
    for name in [HEADER_WEBHOOK_ID, HEADER_WEBHOOK_TIMESTAMP, HEADER_WEBHOOK_SIGNATURE] {
        let mut h = full.clone();
        h.remove(name);
        match vector_verifier().verify(&h, VECTOR_BODY) {
            Err(WebhookError::MissingHeader(n)) => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn non_ascii_header_values_are_errors_not_panics() {
    let bad = HeaderValue::from_bytes(b"\xff\xfe caf\xc3\xa9").unwrap();
    let full = headers(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG);

    let mut h = full.clone();
    h.insert(HEADER_WEBHOOK_ID, bad.clone());
    assert!(matches!(vector_verifier().verify(&h, VECTOR_BODY), Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_ID))));
    let mut h = full.clone();
    h.insert(HEADER_WEBHOOK_TIMESTAMP, bad.clone());
    assert!(matches!(vector_verifier().verify(&h, VECTOR_BODY), Err(WebhookError::MalformedTimestamp)));
    let mut h = full;
    h.insert(HEADER_WEBHOOK_SIGNATURE, bad);
    assert!(matches!(
        vector_verifier().verify(&h, VECTOR_BODY),
        Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_SIGNATURE))
    ));
}

#[test]
fn non_utf8_and_empty_bodies_verify() {
    let secret = secret_from(5);
    let v = Verifier::new(&secret).clock(|| 7);
    let signer = Signer::new(&secret);
    for body in [&b"\xff\x00\xfe\x80 not utf-8"[..], b"", b"\0"] {
        let sig = signer.sign("evt_bin", 7, body);
        let msg = v.verify_parts("evt_bin", "7", &sig, body).unwrap();
        assert_eq!(msg.body(), body);
    }
}

// ---- secrets ----

#[test]
fn secret_parsing_errors() {
    let cases: &[(&str, SecretError)] = &[
        ("", SecretError::Empty),
        ("whsec_", SecretError::Empty),
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SecretError::MissingPrefix),
        ("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SecretError::MissingPrefix),
        (" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SecretError::MissingPrefix),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", SecretError::InvalidBase64),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!", SecretError::InvalidBase64),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=", SecretError::InvalidBase64),
        // URL-safe alphabet is not standard base64.
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa_-", SecretError::InvalidBase64),
        // 16 bytes.
        ("whsec_AAAAAAAAAAAAAAAAAAAAAA==", SecretError::TooShort),
        // Non-canonical trailing bits.
        ("whsec_AAAAAAAAAAAAAAAAAAAAAB==", SecretError::InvalidBase64),
    ];
    for (input, want) in cases {
        match WebhookSecret::parse(input) {
            Err(WebhookError::InvalidSecret(got)) => assert_eq!(got, *want, "{input:?}"),
            other => panic!("{input:?}: {other:?}"),
        }
    }
    let too_long = format!("whsec_{}", "A".repeat(88 + 4));
    assert!(matches!(WebhookSecret::parse(&too_long), Err(WebhookError::InvalidSecret(SecretError::TooLong))));
}

#[test]
fn secret_length_bounds() {
    assert!(WebhookSecret::from_bytes(&[1; WebhookSecret::MIN_KEY_LEN]).is_ok());
    assert!(WebhookSecret::from_bytes(&[1; WebhookSecret::MAX_KEY_LEN]).is_ok());
    assert!(matches!(
        WebhookSecret::from_bytes(&[1; WebhookSecret::MIN_KEY_LEN - 1]),
        Err(WebhookError::InvalidSecret(SecretError::TooShort))
    ));
    assert!(matches!(
        WebhookSecret::from_bytes(&[1; WebhookSecret::MAX_KEY_LEN + 1]),
        Err(WebhookError::InvalidSecret(SecretError::TooLong))
    ));
    // 64 bytes via the string form.
    let s = WebhookSecret::from_bytes(&[0xAB; 64]).unwrap().expose_whsec();
    assert!(WebhookSecret::parse(&s).is_ok());
    let s65 = format!("whsec_{}", base64_of(&[0xAB; WebhookSecret::MAX_KEY_LEN + 1]));
    assert!(matches!(WebhookSecret::parse(&s65), Err(WebhookError::InvalidSecret(SecretError::TooLong))));
}

fn base64_of(bytes: &[u8]) -> String {
    // Round-tripping through the secret type would refuse the length, so
    // encode by hand here.
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn expose_whsec_round_trips() {
    let secret = vector_secret();
    assert_eq!(secret.expose_whsec().as_str(), VECTOR_SECRET);
    let generated = WebhookSecret::generate();
    let again = WebhookSecret::parse(&generated.expose_whsec()).unwrap();
    let sig_a = Signer::new(&generated).sign("evt_1", 1, b"x");
    let sig_b = Signer::new(&again).sign("evt_1", 1, b"x");
    assert_eq!(sig_a, sig_b);
}

#[test]
fn generated_secrets_differ() {
    let a = WebhookSecret::generate().expose_whsec();
    let b = WebhookSecret::generate().expose_whsec();
    assert_ne!(*a, *b);
    // 32 bytes encode to 44 base64 characters.
    assert_eq!(a.len(), "whsec_".len() + 44);
}

#[test]
fn debug_output_is_redacted() {
    let secret = vector_secret();
    let key_part = VECTOR_SECRET.trim_start_matches("whsec_");
    let outputs = [
        format!("{secret:?}"),
        format!("{secret:#?}"),
        format!("{:?}", Signer::new(&secret)),
        format!("{:?}", Verifier::new(&secret)),
    ];
    assert_eq!(outputs[0], "WebhookSecret(whsec_…redacted)");
    for out in &outputs {
        assert!(!out.contains(key_part), "{out}");
        assert!(!out.contains("MfKQ"), "{out}");
    }
}

#[test]
fn error_messages_never_contain_secret_or_signature() {
    let sig_b64 = VECTOR_SIG.trim_start_matches("v1,");
    let mut errors = vec![
        WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!").unwrap_err(),
        WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8").unwrap_err(),
        WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_err(),
    ];
    let v = vector_verifier();
    errors.push(v.verify_parts(VECTOR_ID, VECTOR_TS_STR, VECTOR_SIG, b"tampered").unwrap_err());
    errors.push(v.verify_parts(VECTOR_ID, "x", VECTOR_SIG, VECTOR_BODY).unwrap_err());
    for e in &errors {
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains("MfKQ"), "{text}");
            assert!(!text.contains(sig_b64), "{text}");
            assert!(!text.contains("g0hM"), "{text}");
        }
    }
}

// ---- property tests ----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary header bytes and bodies never panic, and a signature not
    /// produced by the signer is never accepted.
    #[test]
    fn arbitrary_headers_never_panic_nor_verify(
        id in proptest::collection::vec(any::<u8>(), 0..300),
        ts in proptest::collection::vec(any::<u8>(), 0..30),
        sig in proptest::collection::vec(any::<u8>(), 0..400),
        body in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let v = Verifier::new(&secret_from(7)).clock(|| 1_700_000_000);
        let mut h = HeaderMap::new();
        for (name, value) in [
            (HEADER_WEBHOOK_ID, &id),
            (HEADER_WEBHOOK_TIMESTAMP, &ts),
            (HEADER_WEBHOOK_SIGNATURE, &sig),
        ] {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                h.insert(name, value);
            }
        }
        prop_assert!(v.verify(&h, &body).is_err());
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        prop_assert!(v.verify_parts(&s(&id), &s(&ts), &s(&sig), &body).is_err());
    }

    /// Arbitrary, well-formed-looking signature entries are never accepted.
    #[test]
    fn random_v1_signatures_never_verify(
        tags in proptest::collection::vec(proptest::array::uniform32(any::<u8>()), 1..20),
        body in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let secret = secret_from(8);
        let real = Signer::new(&secret).sign("evt_p", 1000, &body);
        let header = tags
            .iter()
            .map(|t| format!("v1,{}", base64_of(t)))
            .filter(|entry| *entry != real)
            .collect::<Vec<_>>()
            .join(" ");
        let v = Verifier::new(&secret).clock(|| 1000);
        prop_assert!(v.verify_parts("evt_p", "1000", &header, &body).is_err());
    }

    /// A signature verifies its own body and no other.
    #[test]
    fn signature_binds_the_exact_body(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        other in proptest::collection::vec(any::<u8>(), 0..512),
        ts in 0u64..=9_999_999_999_999_999_999,
    ) {
        let secret = secret_from(6);
        let sig = Signer::new(&secret).sign("evt_p", ts, &body);
        let v = Verifier::new(&secret).clock(move || ts);
        let ts = ts.to_string();
        prop_assert!(v.verify_parts("evt_p", &ts, &sig, &body).is_ok());
        if other != body {
            prop_assert!(matches!(
                v.verify_parts("evt_p", &ts, &sig, &other),
                Err(WebhookError::NoMatchingSignature)
            ));
        }
    }
}

#[test]
fn more_secrets_than_compared_is_an_error() {
    use ugc_video::webhooks::{MAX_SECRETS, SecretError, Verifier, WebhookError, WebhookSecret};
    let secrets: Vec<WebhookSecret> = (0..=MAX_SECRETS).map(|_| WebhookSecret::generate()).collect();
    let err = Verifier::with_secrets(secrets.iter()).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSecret(SecretError::TooManySecrets)), "{err:?}");
    assert!(Verifier::with_secrets(secrets[..MAX_SECRETS].iter()).is_ok());
}
