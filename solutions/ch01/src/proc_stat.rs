//! Exercise `proc_stat`: read a process's facts from one line of `/proc/<pid>/stat`.
//!
//! Every process has a file `/proc/<pid>/stat`: one line, about fifty fields separated by
//! spaces, in a fixed order (`man 5 proc_pid_stat`). It starts like this:
//!
//! ```text
//! 4242 (bash) S 4100 4242 4242 34816 ...
//! ```
//!
//! Field 1 is the PID, field 2 the command name in parentheses, field 3 the state
//! letter, field 4 the parent's PID, and field 20 the number of threads.
//!
//! The trap: the command name may itself contain spaces and parentheses (a program can
//! be called `my (weird) prog`), so splitting the whole line on spaces goes wrong.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

/// The facts this exercise reads from a stat line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatLine {
    /// Field 1: the process ID.
    pub pid: i32,
    /// Field 2: the command name, *without* the surrounding parentheses.
    pub comm: String,
    /// Field 3: the state letter (`R` running, `S` sleeping, `Z` zombie, ...).
    pub state: char,
    /// Field 4: the parent's process ID.
    pub ppid: i32,
    /// Field 20: how many threads the process has.
    pub num_threads: u32,
}

/// What can be wrong with a stat line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatError {
    /// There is no `(` ... `)` around the command name.
    MissingParens,
    /// The line ended before this field (named as in `man 5 proc_pid_stat`).
    MissingField(&'static str),
    /// This field is there but is not a number (or, for `state`, not one letter).
    BadField { field: &'static str, text: String },
}

/// Parses one line of `/proc/<pid>/stat`.
///
/// - `comm` is everything between the **first** `(` and the **last** `)`.
/// - The PID is the text before the `(` (trimmed).
/// - After the last `)`, fields are separated by single spaces: `state` is the first of
///   them, `ppid` the second, and `num_threads` the eighteenth (field 20 overall).
///
/// Errors: [`StatError::MissingParens`] without both parentheses;
/// [`StatError::MissingField`] when the line is too short, naming the first missing field
/// (`"state"`, `"ppid"` or `"num_threads"`); [`StatError::BadField`] when a field does not
/// parse (`"pid"`, `"state"`, `"ppid"` or `"num_threads"`), with the offending text.
pub fn parse_stat(line: &str) -> Result<StatLine, StatError> {
    // ANCHOR: solution
    let open = line.find('(').ok_or(StatError::MissingParens)?;
    let close = line.rfind(')').ok_or(StatError::MissingParens)?;
    if close < open {
        return Err(StatError::MissingParens);
    }
    fn number<T: std::str::FromStr>(field: &'static str, text: &str) -> Result<T, StatError> {
        text.parse().map_err(|_| StatError::BadField {
            field,
            text: text.to_owned(),
        })
    }
    let pid = number("pid", line[..open].trim())?;
    let comm = line[open + 1..close].to_owned();
    let rest: Vec<&str> = line[close + 1..].split_whitespace().collect();
    let field = |index: usize, name: &'static str| {
        rest.get(index)
            .copied()
            .ok_or(StatError::MissingField(name))
    };

    let state_text = field(0, "state")?;
    let mut letters = state_text.chars();
    let state = match (letters.next(), letters.next()) {
        (Some(letter), None) => letter,
        _ => {
            return Err(StatError::BadField {
                field: "state",
                text: state_text.to_owned(),
            });
        }
    };
    let ppid = number("ppid", field(1, "ppid")?)?;
    let num_threads = number("num_threads", field(17, "num_threads")?)?;
    Ok(StatLine {
        pid,
        comm,
        state,
        ppid,
        num_threads,
    })
    // ANCHOR_END: solution
}
