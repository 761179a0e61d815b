// name: shared_management_candidates
// description: Small organisations whose head of ICT is under one FTE or missing, with their neighbours in the same position and nation: candidates for a shared ICT management team (queries/management.py management_candidates).
// mode: read
// param small_population: int  An organisation of at most this population is small (management.small_population)
// returns: organisation, population, head_fte, candidate_neighbours
MATCH (o:Organisation)
WHERE o.source IS NOT NULL AND o.population IS NOT NULL AND o.population <= $small_population
WITH o, [i IN range(0, size(coalesce(o.ict_roles, [])) - 1) WHERE o.ict_roles[i] = 'head-of-ict' | o.ict_role_fte[i]] AS heads
WITH o, coalesce(heads[0], 0.0) AS head_fte
WHERE head_fte < 1.0
WITH collect({o: o, head: head_fte}) AS candidates
UNWIND candidates AS c
WITH c.o AS o, c.head AS head_fte, [x IN candidates | x.o.id] AS ids
OPTIONAL MATCH (o)-[:NEIGHBOURS]-(n:Organisation)
WHERE n.id IN ids AND coalesce(o.nation, '') = coalesce(n.nation, '')
WITH o, head_fte, n
ORDER BY n.id
WITH o, head_fte, collect(DISTINCT n.id) AS candidate_neighbours
RETURN o.id AS organisation, o.population AS population, head_fte, candidate_neighbours
ORDER BY organisation
