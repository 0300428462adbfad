//! LCS: the longest common subsequence of two strings, by the classic
//! dynamic programming table, with Redis's options and reply shapes.

use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::types::Value;

const NOT_STRINGS: CmdError = CmdError::Static("ERR The specified keys must contain string values");
const LEN_AND_IDX: CmdError = CmdError::Static("ERR If you want both the length and indexes, please just use IDX.");
const TOO_LONG: CmdError = CmdError::Static("ERR String too long for LCS");
const TABLE_TOO_BIG: CmdError =
    CmdError::Static("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
const NO_MEMORY: CmdError = CmdError::Static("ERR Insufficient memory, failed allocating transient memory for LCS");

/// One run of matching bytes: inclusive ranges in each string.
struct Match {
    a: (usize, usize),
    b: (usize, usize),
}

impl Match {
    fn len(&self) -> usize {
        self.a.1 - self.a.0 + 1
    }
}

/// The operand a key gives: its bytes (a missing key is ""), or `Err` for
/// another type. Both keys are looked up before either is judged.
fn operand(found: Option<&mut Value>) -> Result<Vec<u8>, ()> {
    match found {
        None => Ok(Vec::new()),
        Some(Value::Str(s)) => Ok(s.to_vec()),
        Some(_) => Err(()),
    }
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
pub(super) fn lcs(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let a = operand(ctx.read(argv[1]));
    let b = operand(ctx.read(argv[2]));
    let (Ok(a), Ok(b)) = (a, b) else {
        return Err(NOT_STRINGS);
    };
    let (mut want_len, mut want_idx, mut with_match_len, mut min_match_len) = (false, false, false, 0usize);
    let mut i = 3;
    while i < argv.len() {
        let opt = argv[i];
        if is(opt, "idx") {
            want_idx = true;
        } else if is(opt, "len") {
            want_len = true;
        } else if is(opt, "withmatchlen") {
            with_match_len = true;
        } else if is(opt, "minmatchlen") && i + 1 < argv.len() {
            // Negative means no minimum.
            min_match_len = args::int(argv[i + 1])?.max(0) as usize;
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    if want_len && want_idx {
        return Err(LEN_AND_IDX);
    }
    if a.len() >= u32::MAX as usize - 1 || b.len() >= u32::MAX as usize - 1 {
        return Err(TOO_LONG);
    }
    let table = Table::build(&a, &b, ctx.server.config.proto_max_bulk_len)?;
    let total = table.at(a.len(), b.len());
    if want_len {
        ctx.out.int(total as i64);
        return Ok(());
    }
    let (common, matches) = table.walk_back(&a, &b);
    if !want_idx {
        ctx.out.bulk(&common);
        return Ok(());
    }
    let out = &mut *ctx.out;
    out.map_len(2);
    out.bulk_str("matches");
    let shown: Vec<&Match> = matches.iter().filter(|m| min_match_len == 0 || m.len() >= min_match_len).collect();
    out.array_len(shown.len());
    for m in shown {
        out.array_len(if with_match_len { 3 } else { 2 });
        for (from, to) in [m.a, m.b] {
            out.array_len(2);
            out.int(from as i64);
            out.int(to as i64);
        }
        if with_match_len {
            out.int(m.len() as i64);
        }
    }
    out.bulk_str("len");
    out.int(total as i64);
    Ok(())
}

/// `at(i, j)`: the LCS length of `a[..i]` and `b[..j]`.
struct Table {
    cells: Vec<u32>,
    width: usize,
}

impl Table {
    /// Fills the table, refusing (as Redis does) one bigger than
    /// proto-max-bulk-len bytes or one that cannot be allocated.
    fn build(a: &[u8], b: &[u8], max_bytes: u64) -> Result<Table, CmdError> {
        let width = b.len() + 1;
        let size = (a.len() + 1) as u128 * width as u128;
        if size * 4 > max_bytes as u128 {
            return Err(TABLE_TOO_BIG);
        }
        let mut cells: Vec<u32> = Vec::new();
        cells.try_reserve_exact(size as usize).map_err(|_| NO_MEMORY)?;
        cells.resize(size as usize, 0);
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                cells[i * width + j] = if a[i - 1] == b[j - 1] {
                    cells[(i - 1) * width + j - 1] + 1
                } else {
                    cells[(i - 1) * width + j].max(cells[i * width + j - 1])
                };
            }
        }
        Ok(Table { cells, width })
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells[i * self.width + j]
    }

    /// Walks from the ends back to the starts, collecting the common bytes
    /// and the runs of consecutive matches in the order Redis reports them:
    /// last run first. On a tie the walk moves back in `b`, as Redis's does,
    /// which decides which of several equally long answers comes out.
    fn walk_back(&self, a: &[u8], b: &[u8]) -> (Vec<u8>, Vec<Match>) {
        let mut common = Vec::with_capacity(self.at(a.len(), b.len()) as usize);
        let mut matches = Vec::new();
        let mut run: Option<Match> = None;
        let (mut i, mut j) = (a.len(), b.len());
        while i > 0 && j > 0 {
            if a[i - 1] == b[j - 1] {
                common.push(a[i - 1]);
                // A match right after a match always continues the run: both
                // indexes moved back by one.
                match &mut run {
                    Some(m) => {
                        m.a.0 = i - 1;
                        m.b.0 = j - 1;
                    }
                    None => run = Some(Match { a: (i - 1, i - 1), b: (j - 1, j - 1) }),
                }
                i -= 1;
                j -= 1;
                // A run that reached the start of either string is complete.
                if i == 0 || j == 0 {
                    matches.extend(run.take());
                }
            } else {
                if self.at(i - 1, j) > self.at(i, j - 1) {
                    i -= 1;
                } else {
                    j -= 1;
                }
                matches.extend(run.take());
            }
        }
        common.reverse();
        (common, matches)
    }
}
