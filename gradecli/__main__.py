from gradecli.cli import main

main()
