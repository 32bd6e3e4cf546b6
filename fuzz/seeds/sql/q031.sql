SELECT r.f, (r).f, (r).f.g, f(x).y, a[1].b
