// name: organisation_programme
// description: One organisation's part in a saved programme: the moves it leads and each step it takes (action, system, go-live, NPV), by go-live.
// mode: read
// param programme: string  The programme's name, as saved by `ictgraph plan --neo4j --save NAME`
// param organisation: string  Organisation id, e.g. E07000117
// returns: move, kind, title, lead, action, system, go_live, npv_central, move_npv_central
MATCH (:Programme {name: $programme})-[:HAS_MOVE]->(m:Move)-[s:MOVES|MOVE_LED_BY]->(:Organisation {id: $organisation})
OPTIONAL MATCH (m)-[:MOVE_LED_BY]->(lead:Organisation)
RETURN m.id AS move, m.kind AS kind, m.title AS title, lead.id AS lead,
       coalesce(s.action, 'lead') AS action, s.system AS system,
       coalesce(s.go_live, m.first_go_live) AS go_live, s.npv_central AS npv_central,
       m.npv_central AS move_npv_central
ORDER BY go_live, move, action, system
