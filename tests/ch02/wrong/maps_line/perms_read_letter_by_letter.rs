//! Wrong attempt: I read each permission letter on its own (`r` in the first place means readable, and so on) without checking that the four letters are valid.

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
    let mut rest = line;
    let mut next = |name: &'static str| {
        let trimmed = rest.trim_start_matches(' ');
        let end = trimmed.find(' ').unwrap_or(trimmed.len());
        let (field, after) = trimmed.split_at(end);
        rest = after;
        if field.is_empty() {
            Err(MapsError::MissingField(name))
        } else {
            Ok(field)
        }
    };
    let range = next("range")?;
    let perms_text = next("perms")?;
    let offset_text = next("offset")?;
    next("device")?;
    let inode_text = next("inode")?;
    let path = rest.trim_start_matches(' ');

    let (start, end) = range.split_once('-').ok_or_else(|| bad("range", range))?;
    let (start, end) = (hex("range", start)?, hex("range", end)?);
    if start > end {
        return Err(bad("range", range));
    }
    let letters: Vec<char> = perms_text.chars().collect();
    if letters.len() != 4 {
        return Err(bad("perms", perms_text));
    }
    let perms = Perms {
        read: letters[0] == 'r',
        write: letters[1] == 'w',
        execute: letters[2] == 'x',
        shared: letters[3] == 's',
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
