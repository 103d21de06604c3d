//! The in-memory dedupe store: TTL, size bound, removal, concurrency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ugc_video::webhooks::{DedupeStore, InMemoryDedupe};

/// A store whose clock the test moves by hand.
fn store(ttl_secs: u64, max: usize) -> (InMemoryDedupe, Arc<AtomicU64>) {
    let now = Arc::new(AtomicU64::new(1_000));
    let clock = Arc::clone(&now);
    let store = InMemoryDedupe::new(Duration::from_secs(ttl_secs), max).clock(move || clock.load(Ordering::SeqCst));
    (store, now)
}

#[test]
fn first_delivery_is_new_and_repeat_is_not() {
    let (s, _) = store(60, 10);
    assert!(s.check_and_insert_sync("evt_1"));
    assert!(!s.check_and_insert_sync("evt_1"));
    assert!(s.check_and_insert_sync("evt_2"));
    assert_eq!(s.len(), 2);
    assert!(s.contains("evt_1"));
    assert!(!s.contains("evt_3"));
}

#[test]
fn ids_expire_exactly_after_ttl() {
    let (s, now) = store(60, 10);
    assert!(s.check_and_insert_sync("evt_1"));
    now.store(1_059, Ordering::SeqCst);
    assert!(!s.check_and_insert_sync("evt_1"), "still inside the TTL");
    now.store(1_060, Ordering::SeqCst);
    assert!(!s.contains("evt_1"));
    assert!(s.check_and_insert_sync("evt_1"), "TTL elapsed");
    // Re-inserted with a fresh TTL.
    now.store(1_119, Ordering::SeqCst);
    assert!(!s.check_and_insert_sync("evt_1"));
}

#[test]
fn sub_second_ttl_rounds_up() {
    let now = Arc::new(AtomicU64::new(10));
    let clock = Arc::clone(&now);
    let s = InMemoryDedupe::new(Duration::from_millis(1), 10).clock(move || clock.load(Ordering::SeqCst));
    assert!(s.check_and_insert_sync("evt_1"));
    assert!(!s.check_and_insert_sync("evt_1"));
    now.store(11, Ordering::SeqCst);
    assert!(s.check_and_insert_sync("evt_1"));
}

#[test]
fn full_store_evicts_oldest() {
    let (s, now) = store(3_600, 3);
    for (i, id) in ["a", "b", "c"].iter().enumerate() {
        now.store(1_000 + i as u64, Ordering::SeqCst);
        assert!(s.check_and_insert_sync(id));
    }
    assert!(s.check_and_insert_sync("d"));
    assert_eq!(s.len(), 3);
    assert!(!s.contains("a"), "oldest evicted");
    assert!(s.contains("b") && s.contains("c") && s.contains("d"));
}

#[test]
fn expired_entries_are_evicted_before_live_ones() {
    let (s, now) = store(100, 3);
    assert!(s.check_and_insert_sync("old")); // expires at 1100
    now.store(1_050, Ordering::SeqCst);
    assert!(s.check_and_insert_sync("b")); // expires at 1150
    assert!(s.check_and_insert_sync("c"));
    now.store(1_100, Ordering::SeqCst);
    assert!(s.check_and_insert_sync("d"));
    // "old" was expired, so it went and the live ones stayed.
    assert!(s.contains("b") && s.contains("c") && s.contains("d"));
    assert_eq!(s.len(), 3);
}

#[test]
fn expired_duplicate_does_not_evict_a_live_entry() {
    let (s, now) = store(100, 2);
    assert!(s.check_and_insert_sync("a"));
    now.store(1_090, Ordering::SeqCst);
    assert!(s.check_and_insert_sync("b"));
    now.store(1_100, Ordering::SeqCst);
    // "a" expired; re-inserting it must not push "b" out.
    assert!(s.check_and_insert_sync("a"));
    assert!(s.contains("a") && s.contains("b"));
}

#[test]
fn size_stays_bounded_under_churn() {
    let (s, now) = store(10, 50);
    for i in 0..10_000u64 {
        now.store(1_000 + i / 100, Ordering::SeqCst);
        let id = format!("evt_{}", i % 300);
        let _ = s.check_and_insert_sync(&id);
        if i % 7 == 0 {
            s.remove_sync(&id);
        }
        assert!(s.len() <= 50);
    }
}

#[test]
fn zero_max_entries_still_remembers_one() {
    let (s, _) = store(60, 0);
    assert!(s.check_and_insert_sync("a"));
    assert!(!s.check_and_insert_sync("a"));
    assert!(s.check_and_insert_sync("b"));
    assert_eq!(s.len(), 1);
}

#[test]
fn removed_id_is_new_again() {
    let (s, _) = store(60, 10);
    assert!(s.check_and_insert_sync("evt_1"));
    s.remove_sync("evt_1");
    assert!(s.is_empty());
    assert!(s.check_and_insert_sync("evt_1"));
    assert!(!s.check_and_insert_sync("evt_1"));
}

#[test]
fn concurrent_duplicates_admit_exactly_one() {
    let s = Arc::new(InMemoryDedupe::default());
    let admitted = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let s = Arc::clone(&s);
            let admitted = Arc::clone(&admitted);
            std::thread::spawn(move || {
                for i in 0..200 {
                    if s.check_and_insert_sync(&format!("evt_{i}")) {
                        admitted.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(admitted.load(Ordering::SeqCst), 200);
}

async fn first_time(store: impl DedupeStore, id: &str) -> bool {
    store.check_and_insert(id).await.unwrap()
}

#[tokio::test]
async fn works_as_a_shared_trait_object() {
    let (s, _) = store(60, 10);
    let store: Arc<dyn DedupeStore> = Arc::new(s);
    assert!(store.check_and_insert("evt_1").await.unwrap());
    assert!(!store.check_and_insert("evt_1").await.unwrap());
    store.remove("evt_1").await.unwrap();
    assert!(store.check_and_insert("evt_1").await.unwrap());

    // Arc<T> is itself a store, so it can be handed to generic code.
    assert!(first_time(Arc::clone(&store), "evt_2").await);
    assert!(!first_time(store, "evt_2").await);
}
