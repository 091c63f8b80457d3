//! Wrong attempt: lets only the first process `a` run the later lines, forgetting that every child goes on from the line after its fork and forks too.

    // ANCHOR: solution
    // Walk the program once: at each line, `a` makes its children.
    let mut names = vec!["a".to_owned()];
    let mut made = 0;
    for line in program {
        let children = match line {
            Line::Fork | Line::ForkChildExits => 1,
            Line::ForkTwiceInParent => 2,
        };
        for _ in 0..children {
            made += 1;
            names.push(format!("a.{made}"));
        }
    }
    names.sort();
    names
    // ANCHOR_END: solution
