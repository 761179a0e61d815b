// name: programme_for_tracking
// description: A saved programme as `ictgraph track` reads it: its totals and years, and each move with its steps and the organisations already on its target, each with the baseline saved by `plan --save`.
// mode: read
// param programme: string  The programme's name, as saved by `ictgraph plan --neo4j --save NAME`
// returns: programme, rank, move, lead, steps, already_there, names
MATCH (p:Programme {name: $programme})-[h:HAS_MOVE]->(m:Move)
OPTIONAL MATCH (m)-[:MOVE_LED_BY]->(lead:Organisation)
RETURN properties(p) AS programme, h.rank AS rank, properties(m) AS move, lead.id AS lead,
       COLLECT { MATCH (m)-[s:MOVES]->(o:Organisation)
                 RETURN s {.*, organisation: o.id} ORDER BY s.order } AS steps,
       COLLECT { MATCH (m)-[a:ALREADY_THERE]->(o:Organisation)
                 RETURN a {.*, organisation: o.id} ORDER BY a.order } AS already_there,
       COLLECT { MATCH (m)-[:MOVES|MOVE_LED_BY|ALREADY_THERE]->(o:Organisation)
                 RETURN DISTINCT [o.id, coalesce(o.name, o.id)] AS name ORDER BY name } AS names
ORDER BY rank
