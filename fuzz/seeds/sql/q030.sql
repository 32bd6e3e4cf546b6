SELECT transform(arr, x -> x * 2), reduce(arr, 0, (s, x) -> s + x, s -> s), filter(arr, () -> true)
