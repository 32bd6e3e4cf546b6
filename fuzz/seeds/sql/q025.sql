SELECT CAST(CAST(x AS varchar) AS bigint)
