//! The representation against values taken from Redis 7.2.4 (GET of its
//! HyperLogLogs, PFDEBUG DECODE, PFCOUNT), so both sides read each
//! other's bytes.

use super::*;

const DEFAULT_SPARSE_MAX: usize = 3000;

fn filled(prefix: &str, n: usize, sparse_max: usize) -> Vec<u8> {
    let mut hll = new_sparse();
    for i in 1..=n {
        add(&mut hll, format!("{prefix}{i}").as_bytes(), sparse_max).unwrap();
    }
    hll
}

#[test]
fn a_new_value_is_one_xzero() {
    let hll = new_sparse();
    assert_eq!(hll, b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff");
    assert_eq!(encoding_of(&hll), Some(Encoding::Sparse));
    assert_eq!(sparse::decode(&hll[HEADER_LEN..]), "Z:16384");
    assert_eq!(count(&hll), Ok(0));
    assert_eq!(cached_count(&hll), Some(0));
}

#[test]
fn three_elements_give_redis_bytes() {
    let mut hll = new_sparse();
    for e in ["a", "b", "c"] {
        assert_eq!(add(&mut hll, e.as_bytes(), DEFAULT_SPARSE_MAX), Ok(true));
    }
    // Redis: PFADD h a b c; GET h (the cache is stale until PFCOUNT).
    let redis: &[u8] = b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80`\xf3\x80P\xb1\x84K\xfb\x80BZ";
    assert_eq!(hll, redis);
    assert_eq!(cached_count(&hll), None);
    assert_eq!(sparse::decode(&hll[HEADER_LEN..]), "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
    assert_eq!(count(&hll), Ok(3));
    store_count(&mut hll, 3);
    assert_eq!(&hll[8..16], b"\x03\0\0\0\0\0\0\0");
    assert_eq!(cached_count(&hll), Some(3));
    // Adding an element again changes nothing.
    assert_eq!(add(&mut hll, b"a", DEFAULT_SPARSE_MAX), Ok(false));
}

#[test]
fn twenty_elements_decode_as_redis() {
    let hll = filled("e", 20, DEFAULT_SPARSE_MAX);
    assert_eq!(
        sparse::decode(&hll[HEADER_LEN..]),
        "Z:566 v:3,1 Z:1859 v:1,1 Z:731 v:2,1 Z:3025 v:4,1 Z:112 v:1,1 Z:903 v:1,1 Z:685 v:1,1 \
         Z:357 v:2,1 Z:441 v:2,1 Z:1342 v:5,1 Z:857 v:2,1 Z:782 v:2,1 Z:260 v:2,1 Z:1746 v:1,1 \
         Z:1618 v:2,1 Z:404 v:2,1 Z:137 v:1,1 Z:107 v:2,1 Z:73 v:1,1 z:20 v:1,1 Z:339"
    );
    assert_eq!(count(&hll), Ok(20));
}

#[test]
fn counts_match_redis_sparse_and_dense() {
    let mid = filled("e", 200, DEFAULT_SPARSE_MAX);
    assert_eq!((encoding(&mid), mid.len(), count(&mid)), (Encoding::Sparse, 512, Ok(200)));
    let big = filled("e", 10_000, DEFAULT_SPARSE_MAX);
    assert_eq!((encoding(&big), big.len(), count(&big)), (Encoding::Dense, DENSE_LEN, Ok(9972)));
    let huge = filled("x", 100_000, DEFAULT_SPARSE_MAX);
    assert_eq!(count(&huge), Ok(100_897));
    // PFCOUNT big mid: the union's registers.
    let mut max = [0u8; REGISTERS];
    merge_into(&mut max, &big).unwrap();
    merge_into(&mut max, &mid).unwrap();
    assert_eq!(count_raw(&max), 9972);
}

#[test]
fn turns_dense_where_redis_does() {
    // Redis turns "e1".."eN" dense at element 1684 with the default limit,
    // and at 29 with hll-sparse-max-bytes 100.
    for (limit, at) in [(DEFAULT_SPARSE_MAX, 1684), (100, 29)] {
        let before = filled("e", at - 1, limit);
        assert_eq!(encoding(&before), Encoding::Sparse, "limit {limit}");
        let after = filled("e", at, limit);
        assert_eq!((encoding(&after), after.len()), (Encoding::Dense, DENSE_LEN), "limit {limit}");
        assert_eq!(encoding_of(&after), Some(Encoding::Dense));
    }
}

#[test]
fn dense_conversion_keeps_registers_and_header() {
    let mut hll = filled("e", 300, DEFAULT_SPARSE_MAX);
    store_count(&mut hll, 300);
    let mut sparse_regs = [0u8; REGISTERS];
    merge_into(&mut sparse_regs, &hll).unwrap();
    let before = count(&hll);
    assert_eq!(to_dense(&mut hll), Ok(true));
    assert_eq!(to_dense(&mut hll), Ok(false));
    assert_eq!(&hll[..4], b"HYLL");
    assert_eq!(hll[4], 0);
    assert_eq!(cached_count(&hll), Some(300));
    assert_eq!(count(&hll), before);
    for (i, &r) in sparse_regs.iter().enumerate() {
        assert_eq!(dense::get(&hll[HEADER_LEN..], i), r, "register {i}");
    }
}

#[test]
fn dense_registers_keep_their_neighbours() {
    let mut packed = vec![0u8; DENSE_LEN - HEADER_LEN];
    for i in 0..REGISTERS {
        dense::set(&mut packed, i, (i % 64) as u8);
    }
    for i in 0..REGISTERS {
        assert_eq!(dense::get(&packed, i), (i % 64) as u8);
    }
    dense::set(&mut packed, REGISTERS - 1, 63);
    assert_eq!(dense::get(&packed, REGISTERS - 1), 63);
    assert_eq!(dense::get(&packed, REGISTERS - 2), ((REGISTERS - 2) % 64) as u8);
}

#[test]
fn a_register_above_32_makes_the_value_dense() {
    let mut hll = new_sparse();
    assert_eq!(raise(&mut hll, 5, 33, DEFAULT_SPARSE_MAX), Ok(true));
    assert_eq!(encoding(&hll), Encoding::Dense);
    assert_eq!(dense::get(&hll[HEADER_LEN..], 5), 33);
}

#[test]
fn sparse_runs_split_and_merge() {
    let mut hll = new_sparse();
    for i in 0..4 {
        raise(&mut hll, 100 + i, 2, DEFAULT_SPARSE_MAX).unwrap();
    }
    assert_eq!(sparse::decode(&hll[HEADER_LEN..]), "Z:100 v:2,4 Z:16280");
    raise(&mut hll, 101, 3, DEFAULT_SPARSE_MAX).unwrap();
    assert_eq!(sparse::decode(&hll[HEADER_LEN..]), "Z:100 v:2,1 v:3,1 v:2,2 Z:16280");
    assert_eq!(raise(&mut hll, 102, 1, DEFAULT_SPARSE_MAX), Ok(false));
}

#[test]
fn validation_follows_redis() {
    assert_eq!(encoding_of(b"HYLL"), None);
    assert_eq!(encoding_of(b"HYLX\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"), None);
    assert_eq!(encoding_of(b"HYLL\x02\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"), None);
    // A dense header on a short body is refused; a sparse one is accepted
    // until its runs are read.
    assert_eq!(encoding_of(b"HYLL\0\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"), None);
    let broken = b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xfe";
    assert_eq!(encoding_of(broken), Some(Encoding::Sparse));
    assert_eq!(count(broken), Err(Corrupt));
    let mut max = [0u8; REGISTERS];
    assert_eq!(merge_into(&mut max, broken), Err(Corrupt));
    assert_eq!(to_dense(&mut broken.to_vec()), Err(Corrupt));
}

#[test]
fn self_test_passes() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let effort = selftest::Effort { register_rounds: 3, elements: 100_000 };
    assert_eq!(selftest::run(&effort, DEFAULT_SPARSE_MAX, random), Ok(()));
}
