SELECT stedi.t.i FROM stedi.t
