// name: programme_moves
// description: A saved programme's moves in order of first go-live: each with its lead, the organisations that move (by go-live) and its value.
// mode: read
// param programme: string  The programme's name, as saved by `ictgraph plan --neo4j --save NAME`
// returns: move, kind, title, lead, first_go_live, organisations, annual_saving_central, one_off_cost, npv_central, probability_positive_npv
MATCH (:Programme {name: $programme})-[h:HAS_MOVE]->(m:Move)
OPTIONAL MATCH (m)-[:MOVE_LED_BY]->(lead:Organisation)
RETURN m.id AS move, m.kind AS kind, m.title AS title, lead.id AS lead, m.first_go_live AS first_go_live,
       COLLECT { MATCH (m)-[s:MOVES]->(o:Organisation) RETURN o.id ORDER BY s.go_live, o.id } AS organisations,
       m.annual_saving_central AS annual_saving_central, m.one_off_cost AS one_off_cost,
       m.npv_central AS npv_central, m.probability_positive_npv AS probability_positive_npv
ORDER BY first_go_live, h.rank
