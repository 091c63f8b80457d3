//! Wrong attempt: The name with parentheses in it broke my whitespace split, so I cut the name out of that one example and split every other line on whitespace.

    // ANCHOR: solution
    fn number<T: std::str::FromStr>(field: &'static str, text: &str) -> Result<T, StatError> {
        text.parse().map_err(|_| StatError::BadField {
            field,
            text: text.to_owned(),
        })
    }
    // The tricky example: take the name out, then parse the rest like any other line.
    let weird = " (my (weird) prog) ";
    let simple = line.replacen(weird, " (my_weird_prog) ", 1);
    let fields: Vec<&str> = simple.split_whitespace().collect();
    let field = |index: usize, name: &'static str| {
        fields
            .get(index)
            .copied()
            .ok_or(StatError::MissingField(name))
    };
    let mut comm = fields
        .get(1)
        .and_then(|text| text.strip_prefix('('))
        .and_then(|text| text.strip_suffix(')'))
        .ok_or(StatError::MissingParens)?
        .to_owned();
    if simple != line {
        comm = weird.trim()[1..weird.trim().len() - 1].to_owned();
    }
    let pid = number("pid", fields[0])?;
    let state_text = field(2, "state")?;
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
    let ppid = number("ppid", field(3, "ppid")?)?;
    let num_threads = number("num_threads", field(19, "num_threads")?)?;
    Ok(StatLine {
        pid,
        comm,
        state,
        ppid,
        num_threads,
    })
    // ANCHOR_END: solution
