// mongosh script run by the `mongo` service's healthcheck (docker-compose.yml): initiates the
// single-node replica set `rs0` on first start, then exits 0 only once this member is primary.
// A replica set is what MongoDB transactions and change streams need; one member is enough here.
// The member's host is the compose service name, so every container can reach it as written.
/* global rs, db, quit */

try {
  rs.status();
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
}
quit(db.hello().isWritablePrimary ? 0 : 1);
