//! Wrong attempt: looks the program up in a table of the answers the snapshot shows, instead of working the forks out.

    // ANCHOR: solution
    // The answers, worked out once from the test's snapshot.
    let known: [(&str, &str); 6] = [
        ("fork();\nfork();\n", "a a.1 a.1.1 a.2"),
        ("fork();\nif (fork() > 0) fork();\n", "a a.1 a.1.1 a.1.2 a.2 a.3"),
        (
            "if (fork() > 0) fork();\nif (fork() == 0) exit(0);\nfork();\n",
            "a a.1 a.1.1 a.1.2 a.2 a.2.1 a.2.2 a.3 a.4",
        ),
        (
            "if (fork() == 0) exit(0);\nif (fork() > 0) fork();\nif (fork() > 0) fork();\n",
            "a a.1 a.2 a.2.1 a.2.2 a.3 a.3.1 a.3.2 a.4 a.5",
        ),
        (
            "if (fork() == 0) exit(0);\nif (fork() == 0) exit(0);\nif (fork() == 0) exit(0);\nif (fork() > 0) fork();\n",
            "a a.1 a.2 a.3 a.4 a.5",
        ),
        (
            "fork();\nfork();\nif (fork() > 0) fork();\nfork();\n",
            "a a.1 a.1.1 a.1.1.1 a.1.1.1.1 a.1.1.2 a.1.1.2.1 a.1.1.3 a.1.2 a.1.2.1 a.1.3 a.1.3.1 a.1.4 a.2 a.2.1 a.2.1.1 a.2.2 a.2.2.1 a.2.3 a.3 a.3.1 a.4 a.4.1 a.5",
        ),
    ];
    let text = render(program);
    known
        .iter()
        .find(|(shown, _)| *shown == text)
        .map_or(vec!["a".to_owned()], |(_, names)| {
            names.split(' ').map(str::to_owned).collect()
        })
    // ANCHOR_END: solution
