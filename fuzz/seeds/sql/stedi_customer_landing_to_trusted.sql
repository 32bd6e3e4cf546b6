SELECT *
FROM stedi.customer_landing
WHERE sharewithresearchasofdate IS NOT NULL;
