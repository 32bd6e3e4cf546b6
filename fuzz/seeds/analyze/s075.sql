SELECT * FROM nosuchdb.customer_trusted
