SELECT awsdatacatalog.stedi.t.i FROM awsdatacatalog.stedi.t
