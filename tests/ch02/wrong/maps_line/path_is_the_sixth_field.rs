//! Wrong attempt: I split the line on whitespace and took the sixth field as the path.

    // ANCHOR: solution
    fn bad(field: &'static str, text: &str) -> MapsError {
        MapsError::BadField {
            field,
            text: text.to_owned(),
        }
    }
    fn hex(field: &'static str, text: &str) -> Result<u64, MapsError> {
        u64::from_str_radix(text, 16).map_err(|_| bad(field, text))
    }
    let fields: Vec<&str> = line.split_whitespace().collect();
    let mut index = 0;
    let mut next = |name: &'static str| {
        index += 1;
        fields
            .get(index - 1)
            .copied()
            .ok_or(MapsError::MissingField(name))
    };
    let range = next("range")?;
    let perms_text = next("perms")?;
    let offset_text = next("offset")?;
    next("device")?;
    let inode_text = next("inode")?;
    let path = fields.get(5).copied().unwrap_or("");

    let (start, end) = range.split_once('-').ok_or_else(|| bad("range", range))?;
    let (start, end) = (hex("range", start)?, hex("range", end)?);
    if start > end {
        return Err(bad("range", range));
    }
    let letters: Vec<char> = perms_text.chars().collect();
    let perms = match letters[..] {
        [
            r @ ('r' | '-'),
            w @ ('w' | '-'),
            x @ ('x' | '-'),
            s @ ('p' | 's'),
        ] => Perms {
            read: r == 'r',
            write: w == 'w',
            execute: x == 'x',
            shared: s == 's',
        },
        _ => return Err(bad("perms", perms_text)),
    };
    Ok(MapsLine {
        start,
        end,
        perms,
        offset: hex("offset", offset_text)?,
        inode: inode_text.parse().map_err(|_| bad("inode", inode_text))?,
        path: (!path.is_empty()).then(|| path.to_owned()),
    })
    // ANCHOR_END: solution
