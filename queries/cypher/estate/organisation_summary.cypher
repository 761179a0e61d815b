// name: organisation_summary
// description: Each organisation with its type, population and counts of systems, contracts, data centres and contract value.
// mode: read
// returns: organisation, name, type, population, systems, contracts, datacentres, annual_contract_value
MATCH (o:Organisation)
WHERE o.name IS NOT NULL
RETURN o.id AS organisation, o.name AS name, o.type AS type, o.population AS population,
       COUNT { (o)-[:RUNS]->(:System) } AS systems,
       COUNT { (o)-[:HOLDS]->(:Contract) } AS contracts,
       COUNT { (o)-[:OPERATES]->(:DataCentre) } AS datacentres,
       reduce(total = 0, value IN COLLECT { MATCH (o)-[:HOLDS]->(k:Contract) WHERE k.annual_value IS NOT NULL RETURN k.annual_value } | total + value) AS annual_contract_value
ORDER BY organisation
