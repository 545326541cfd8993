// Run by the mongo image's entrypoint once, on the first start of an empty database, as root (see
// docker-compose.yml): the Manager's own user, allowed to read and write its database and nothing else.
/* global db -- mongosh's */
db.getSiblingDB('admin').createUser({
  user: 'manager',
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- mongosh scripts load modules so
  pwd: require('fs').readFileSync('/run/mongo-secrets/mongo-manager-password', 'utf8').trim(),
  roles: [{ role: 'readWrite', db: 'testausdeploy' }],
  mechanisms: ['SCRAM-SHA-256'],
});
