use std::collections::HashMap;

use super::*;
use crate::keyspace::db::{Db, Entry};
use crate::types::StrValue;
use crate::util::rng::Rng;

type Model = HashMap<Vec<u8>, (Vec<u8>, Option<i64>)>;

fn s(v: &[u8]) -> Value {
    Value::Str(StrValue::from_bytes(v))
}

fn bytes(v: &Value) -> Vec<u8> {
    match v {
        Value::Str(s) => s.to_vec(),
        other => panic!("a {} value in a string-only test", other.type_name()),
    }
}

fn model_of(db: &mut Db) -> Model {
    let keys: Vec<Vec<u8>> = db.keys().iter().map(|(k, _)| k.to_vec()).collect();
    keys.into_iter()
        .map(|k| {
            let v = bytes(db.keys().get(&k).unwrap());
            let at = db.expire_at(&k);
            (k, (v, at))
        })
        .collect()
}

/// Everything the channel holds up to its End, as the thread would write
/// it; panics on a key sent twice.
fn received(channel: &Channel) -> HashMap<usize, Model> {
    let mut got: HashMap<usize, Model> = HashMap::new();
    let mut add = |db: usize, key: &[u8], value: &Value, at: Option<i64>| {
        let old = got.entry(db).or_default().insert(key.to_vec(), (bytes(value), at));
        assert!(old.is_none(), "key {:?} of db {db} sent twice", String::from_utf8_lossy(key));
    };
    loop {
        match channel.recv().expect("the channel ends with End") {
            Item::End => return got,
            Item::Records { records, bytes } => {
                assert_eq!(bytes, records.iter().map(Record::bytes).sum::<usize>());
                for r in &records {
                    add(r.db, &r.key, &r.value, r.expire_at);
                }
                channel.written(bytes);
            }
            Item::Rest { db, keys, expires } => {
                for (k, v, _) in keys.pending() {
                    add(db, k, v, expires.get(k).copied());
                }
            }
        }
    }
}

fn filled(n: usize, rng: &mut Rng) -> Db {
    let mut db = Db::default();
    for i in 0..n {
        let key = format!("k{i}");
        db.set(key.as_bytes(), s(format!("v{i}").as_bytes()));
        if rng.next_u64().is_multiple_of(4) {
            db.set_expire(key.as_bytes(), 1_000_000 + i as i64);
        }
    }
    db
}

#[test]
fn a_capture_sends_every_key_once_as_it_was_when_it_began() {
    for seed in 1..=40u64 {
        let mut rng = Rng::new(seed);
        let n = 50 + (rng.next_u64() % 3000) as usize;
        let mut db = filled(n, &mut rng);
        let mut other = Db::default();
        let want = model_of(&mut db);
        let channel = Channel::new();
        db.begin_capture(3, channel.clone());
        let now = 0;
        let mut walked = false;
        while !walked {
            // A burst of writes of every kind between two steps of the walk.
            for _ in 0..(rng.next_u64() % 40) {
                let key = format!("k{}", rng.next_u64() % (n as u64 + 200));
                let k = key.as_bytes();
                match rng.next_u64() % 13 {
                    0 => {
                        db.set(k, s(b"overwritten"));
                    }
                    1 => {
                        db.set_keep_ttl(k, s(b"kept ttl"));
                    }
                    2 => {
                        db.set_unlooked(k, s(b"unlooked"), now, true);
                    }
                    3 => {
                        db.remove(k);
                    }
                    4 => {
                        if let Some(Value::Str(v)) = db.lookup_mut(k, now, true) {
                            v.make_raw().extend_from_slice(b"+appended");
                        }
                    }
                    5 => {
                        if db.exists(k, now) {
                            db.set_expire(k, 5);
                        }
                    }
                    6 => {
                        db.persist(k);
                    }
                    7 => {
                        // RENAME onto another key, maybe an existing one.
                        if let Some(e) = db.take(k) {
                            let to = format!("k{}", rng.next_u64() % (n as u64 + 200));
                            db.put(Entry { key: SmallBytes::new(to.as_bytes()), ..e });
                        }
                    }
                    8 => {
                        // MOVE to a database that is not captured.
                        if let Some(e) = db.take(k) {
                            other.put(e);
                        }
                    }
                    9 => {
                        db.active_expire(10, || false);
                    }
                    10 if rng.next_u64().is_multiple_of(20) => {
                        db.clear();
                    }
                    _ => {
                        db.get(k, now);
                    }
                }
            }
            let mut budget = 1 + (rng.next_u64() % 300) as usize;
            walked = db.capture_step(&mut budget);
        }
        assert!(!db.is_capturing());
        channel.send(Item::End);
        let got = received(&channel);
        assert_eq!(got.len(), usize::from(!want.is_empty()), "seed {seed}");
        assert_eq!(got.get(&3).cloned().unwrap_or_default(), want, "seed {seed}");
        // Nothing is left pending: a second capture sends exactly what is there now.
        let now_there = model_of(&mut db);
        let again = Channel::new();
        db.begin_capture(0, again.clone());
        let mut budget = usize::MAX;
        assert!(db.capture_step(&mut budget));
        again.send(Item::End);
        assert_eq!(received(&again).remove(&0).unwrap_or_default(), now_there, "seed {seed}");
    }
}

#[test]
fn an_abandoned_capture_leaves_no_key_pending() {
    let mut rng = Rng::new(9);
    let mut db = filled(500, &mut rng);
    let channel = Channel::new();
    db.begin_capture(0, channel.clone());
    let mut budget = 100;
    assert!(!db.capture_step(&mut budget));
    db.abandon_capture();
    assert!(!db.is_capturing());
    // Writes after the abandon send nothing.
    db.set(b"k1", s(b"x"));
    db.remove(b"k2");
    let fresh = Channel::new();
    let want = model_of(&mut db);
    db.begin_capture(0, fresh.clone());
    let mut budget = usize::MAX;
    assert!(db.capture_step(&mut budget));
    fresh.send(Item::End);
    assert_eq!(received(&fresh).remove(&0).unwrap(), want);
}

#[test]
fn a_closed_channel_drops_what_it_is_sent_and_wakes_its_reader() {
    let channel = Channel::new();
    let reader = {
        let channel = channel.clone();
        std::thread::spawn(move || channel.recv().is_none())
    };
    std::thread::sleep(std::time::Duration::from_millis(20));
    channel.close();
    assert!(reader.join().unwrap(), "recv returns None once closed");
    channel.send(Item::Records { records: Vec::new(), bytes: 100 });
    assert_eq!(channel.in_flight(), 0);
    assert!(channel.recv().is_none());
}
