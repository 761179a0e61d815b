// name: joint_network_candidates
// description: Networks of the given kinds bought by organisations with an inventory, with the contracts each holds (or that cover its systems) with the network's provider, ending after a date: the timing and value of a joint network procurement (queries/networks.py network_entries).
// mode: read
// param kinds: list  Network kinds bought jointly, e.g. psn,wan
// param as_of: date  Contracts must end after this date
// returns: organisation, region, network, kind, provider, contracts, end_date, annual_value
MATCH (o:Organisation)-[:CONNECTS_TO]->(n:Network)
WHERE n.kind IN $kinds AND o.source IS NOT NULL
OPTIONAL MATCH (n)-[:PROVIDED_BY]->(v:Vendor)
OPTIONAL MATCH (k:Contract)-[:WITH]->(v)
WHERE k.end_date > $as_of
  AND (k.organisation = o.id OR EXISTS { MATCH (k)-[:COVERS]->(s:System) WHERE s.organisation = o.id })
WITH o, n, v, k
ORDER BY k.id
WITH o, n, v, collect(k) AS ks
RETURN o.id AS organisation, o.region AS region, n.id AS network, n.kind AS kind, v.id AS provider,
       [k IN ks | k.id] AS contracts,
       reduce(last = null, k IN ks | CASE WHEN last IS NULL OR k.end_date > last THEN k.end_date ELSE last END) AS end_date,
       CASE WHEN any(k IN ks WHERE k.annual_value IS NOT NULL)
            THEN reduce(total = 0.0, k IN ks | total + coalesce(k.annual_value, 0)) END AS annual_value
ORDER BY organisation, network
