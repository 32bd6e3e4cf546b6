SELECT * FROM qqqqqq
