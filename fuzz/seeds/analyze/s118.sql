SELECT * FROM nested
