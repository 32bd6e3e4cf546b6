select A, "A", `B`, "a""b" from T
