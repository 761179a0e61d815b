// name: decisions_due
// description: Contracts whose notice date (end minus notice months) falls between two dates: the decisions to make now.
// mode: read
// param from: date  First day
// param to: date  Last day
// returns: decision_date, organisation, contract, title, supplier, end_date, max_end_date, annual_value, currency
MATCH (o:Organisation)-[:HOLDS]->(k:Contract)-[:WITH]->(v:Vendor)
WITH o, k, v, k.end_date - duration({months: coalesce(k.notice_months, 0)}) AS decision_date
WHERE $from <= decision_date <= $to
RETURN decision_date, o.id AS organisation, k.id AS contract, k.title AS title, v.id AS supplier,
       k.end_date AS end_date, k.max_end_date AS max_end_date, k.annual_value AS annual_value, k.currency AS currency
ORDER BY decision_date, organisation, contract
