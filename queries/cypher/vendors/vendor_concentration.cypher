// name: vendor_concentration
// description: Per capability, each vendor's number of organisations and its share of the organisations served by a product.
// mode: read
// returns: capability, vendor, organisations, share
MATCH (o:Organisation)-[:RUNS]->(s:System)-[:SUPPORTS]->(c:Capability)
OPTIONAL MATCH (s)-[:HOSTED_BY]->(host:System)
WITH o, c, coalesce(host, s) AS run
MATCH (run)-[:INSTANCE_OF]->(:Product)-[:MADE_BY]->(v:Vendor)
WITH c, v, count(DISTINCT o) AS organisations
WITH c, collect({vendor: v.id, organisations: organisations}) AS vendors, sum(organisations) AS total
UNWIND vendors AS row
RETURN c.id AS capability, row.vendor AS vendor, row.organisations AS organisations,
       round(toFloat(row.organisations) / total, 4) AS share
ORDER BY capability, organisations DESC, vendor
