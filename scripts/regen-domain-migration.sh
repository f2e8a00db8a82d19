#!/usr/bin/env bash
# Before the first release only: regenerate the single domain migration from db/schema.ts.
# After a release, schema changes get a new migration (npm run db:generate) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f db/migrations/0001_*.sql db/migrations/meta/0001_snapshot.json
node -e '
const fs = require("fs"); const f = "db/migrations/meta/_journal.json";
const j = JSON.parse(fs.readFileSync(f, "utf8")); j.entries = j.entries.filter((e) => e.idx === 0);
fs.writeFileSync(f, JSON.stringify(j, null, 2) + "\n");'
npx drizzle-kit generate --name=domain
