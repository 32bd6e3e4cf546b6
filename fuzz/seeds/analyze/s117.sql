SELECT arr FROM nested
