// name: delete_programme
// description: Delete a saved programme and its moves with their links (the estate's nodes stay); the first step of saving one.
// mode: write
// param programme: string  The programme's name
// returns: moves, programmes
OPTIONAL MATCH (m:Move {programme: $programme})
DETACH DELETE m
WITH count(m) AS moves
OPTIONAL MATCH (p:Programme {name: $programme})
DETACH DELETE p
RETURN moves, count(p) AS programmes
