from securebase.cli import main

main()
