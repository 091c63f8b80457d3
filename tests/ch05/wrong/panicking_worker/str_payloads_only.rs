//! Wrong attempt: `panic_message` only recognises a `&str` payload, forgetting that a formatted message (`panic!("bad input {}", 7)`) arrives as a `String`.

    // ANCHOR: solution_panic_message
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else {
        NOT_TEXT.to_owned()
    }
    // ANCHOR_END: solution_panic_message
