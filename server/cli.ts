import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, parseCommand, USAGE, UsageError } from './cli-args.ts';

// `porthole`: the command line. Arguments are read first (cli-args.ts) and each command's module is
// loaded only when that command runs, so help, usage errors, `status` and `folders` answer
// without loading the connector (which takes seconds):
//   serve    cli-serve.ts    the connector from a terminal
//   status   cli-status.ts   the state of the one running in the same data folder
//   folders  cli-folders.ts  list, add or remove shared folders

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`porthole: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      console.log(USAGE);
      return command.exitCode;
    case 'status':
      return await (await import('./cli-status.ts')).status(command.args);
    case 'folders':
      return await (await import('./cli-folders.ts')).folders(command.args);
    case 'serve':
      return await (await import('./cli-serve.ts')).serve(command.args, env);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`porthole: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
