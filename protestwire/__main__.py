from protestwire.cli import main

main()
