// name: contracts_ending
// description: Contracts ending between two dates, by capability, with the date by which notice is due.
// mode: read
// param from: date  First day of the window
// param to: date  Last day of the window
// returns: capability, organisation, contract, supplier, end_date, decision_date, annual_value, currency
MATCH (k:Contract)-[:COVERS]->(s:System)-[:SUPPORTS]->(c:Capability)
WHERE $from <= k.end_date <= $to
MATCH (k)-[:WITH]->(v:Vendor)
WITH DISTINCT c, k, v, s.organisation AS organisation
RETURN c.id AS capability, organisation, k.id AS contract, v.id AS supplier, k.end_date AS end_date,
       k.end_date - duration({months: coalesce(k.notice_months, 0)}) AS decision_date,
       k.annual_value AS annual_value, k.currency AS currency
ORDER BY capability, end_date, organisation, contract
