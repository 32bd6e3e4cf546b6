SELECT now(), rand()
