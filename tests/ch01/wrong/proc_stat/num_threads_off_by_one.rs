//! Wrong attempt: I took num_threads from index 18 after the `)` (field 20 minus the two fields before it), forgetting that indexes count from 0.

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
    let num_threads = number("num_threads", field(18, "num_threads")?)?;
    Ok(StatLine {
        pid,
        comm,
        state,
        ppid,
        num_threads,
    })
    // ANCHOR_END: solution
