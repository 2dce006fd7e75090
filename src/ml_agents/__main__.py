from ml_agents.cli import main

raise SystemExit(main())
