//! Wrong attempt: I split the whole line on whitespace and took the fields by position, stripping the parentheses off the second one.

    // ANCHOR: solution
    fn number<T: std::str::FromStr>(field: &'static str, text: &str) -> Result<T, StatError> {
        text.parse().map_err(|_| StatError::BadField {
            field,
            text: text.to_owned(),
        })
    }
    let fields: Vec<&str> = line.split_whitespace().collect();
    let field = |index: usize, name: &'static str| {
        fields
            .get(index)
            .copied()
            .ok_or(StatError::MissingField(name))
    };
    let comm = fields
        .get(1)
        .and_then(|text| text.strip_prefix('('))
        .and_then(|text| text.strip_suffix(')'))
        .ok_or(StatError::MissingParens)?
        .to_owned();
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
