//! SQLite: connection setup, migrations, repositories. The only module that speaks SQL.
